using PeerGroupBot.Hosting;

// With no verb the bot runs; admin verbs (e.g. `teams package`, `discord register-commands`) run and exit.
return await BotCommandLine.RunAsync(args);

/// <summary>Entry point type, public so functional tests can host the bot with WebApplicationFactory.</summary>
public partial class Program;
