using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Discord.Commands;
using PeerGroupBot.Discord.Rest;
using PeerGroupBot.Discord.Tests.Support;

namespace PeerGroupBot.Discord.Tests;

/// <summary>The REST client and messenger against a local fake Discord: rate limits, retries that are safe, and none that are not.</summary>
public sealed class RestClientTests : IAsyncLifetime
{
    private readonly WaitWatchingTime _time = new();
    private FakeDiscord _fake = null!;
    private ServiceProvider _services = null!;

    private DiscordMessenger? _messenger;

    private DiscordMessenger Messenger => _messenger ??= new(_services.GetRequiredService<DiscordRestClient>(), _time);

    public async Task InitializeAsync()
    {
        _fake = await FakeDiscord.StartAsync();
        _fake.HasMessage("111", "9");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:ApiBaseUrl"] = _fake.ApiBaseUrl,
            ["Discord:BotToken"] = "rest-token",
            ["Discord:ApplicationId"] = "1000",
            // Long enough that a first request on a loaded machine (JIT, cold fake) never times out and gets retried,
            // which would hand a scripted answer to the wrong attempt.
            ["Discord:RequestTimeout"] = "00:00:15",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_time);
        services.AddDiscordRestClient(configuration);
        _services = services.BuildServiceProvider();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    private static BotReply Card => new() { Title = "Reminder", Text = "Session at 6pm, @everyone welcome", Buttons = [new ReplyButton("Coming", "session:rsvp:next:yes")] };

    [Fact]
    public async Task A_429_is_waited_out_for_retry_after_and_then_the_message_is_sent_once()
    {
        _fake.Answer(new ScriptedAnswer("POST", "/channels/111/messages", 429, """{"message":"You are being rate limited.","retry_after":0.6,"global":false}""",
            new() { ["X-RateLimit-Bucket"] = "abc", ["X-RateLimit-Limit"] = "5", ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset-After"] = "0.6", ["X-RateLimit-Scope"] = "user" }));

        var clock = Stopwatch.StartNew();
        var id = await Messenger.PostAsync("111", Card, CancellationToken.None);

        Assert.False(string.IsNullOrEmpty(id));
        var attempts = _fake.Requests.Where(r => r.Path == "/api/v10/channels/111/messages").ToList();
        Assert.Equal(2, attempts.Count);
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(550), $"retried after {(attempts[1].At - attempts[0].At).TotalMilliseconds} ms");
        Assert.Equal(attempts[0].Body, attempts[1].Body);
        Assert.Equal(id, attempts[1].CreatedId);
    }

    private static BotReply Report => new()
    {
        Title = "Monthly report",
        Text = "Figures attached, @everyone",
        Attachments =
        [
            new ReplyAttachment("report.csv", "text/csv", Encoding.UTF8.GetBytes("metric,value,detail\r\nsessions_held,3,\r\n")),
            new ReplyAttachment("chart.png", "image/png", [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3]),
        ],
    };

    [Fact]
    public async Task A_429_on_an_upload_is_waited_out_and_the_retry_sends_every_file_again()
    {
        _fake.Answer(new ScriptedAnswer("POST", "/channels/111/messages", 429, """{"message":"You are being rate limited.","retry_after":0.4,"global":false}"""));

        var id = await Messenger.PostAsync("111", Report, CancellationToken.None);

        var attempts = _fake.Requests.Where(r => r.Path == "/api/v10/channels/111/messages").ToList();
        Assert.Equal(2, attempts.Count);
        Assert.True(attempts[1].At - attempts[0].At >= TimeSpan.FromMilliseconds(350));
        Assert.Equal(id, attempts[1].CreatedId);
        foreach (var attempt in attempts)
        {
            var files = attempt.AssertUpload();
            Assert.Equal(["report.csv", "chart.png"], files.Select(f => f.FileName));
            Assert.Equal(Report.Attachments.Select(a => a.Content), files.Select(f => f.Content));
            Assert.Equal(attempts[0].Body, attempt.Body);
        }
    }

    [Fact]
    public async Task Channel_posts_dms_and_edits_with_files_are_uploads_that_ping_nobody_and_are_never_ephemeral()
    {
        await Messenger.PostAsync("111", Report, CancellationToken.None);
        await Messenger.SendPrivateAsync("discord:43", Report with { Visibility = ReplyVisibility.Private }, CancellationToken.None);
        await Messenger.UpdateAsync("111", "9", Report, CancellationToken.None);

        var open = Assert.Single(_fake.Requests, r => r.Path == "/api/v10/users/@me/channels");
        Assert.False(open.IsMultipart);
        var messages = _fake.Requests.Where(r => r.Path.Contains("/messages", StringComparison.Ordinal)).ToList();
        Assert.Equal(["/api/v10/channels/111/messages", "/api/v10/channels/743/messages", "/api/v10/channels/111/messages/9"], messages.Select(m => m.Path));
        foreach (var message in messages)
        {
            Assert.StartsWith("multipart/form-data; boundary=", message.Headers["Content-Type"]);
            Assert.Equal("Bot rest-token", message.Headers["Authorization"]);
            message.Json.AssertPingsNobody();
            Assert.False(message.Json.IsEphemeral());
            Assert.Contains("Figures attached", message.Json.VisibleText());
            var files = message.AssertUpload();
            Assert.Equal([("files[0]", "text/csv"), ("files[1]", "image/png")], files.Select(f => (f.PartName, f.ContentType)));
            Assert.StartsWith("metric,value,detail", files[0].Text);
        }
    }

    [Fact]
    public async Task A_message_without_files_stays_plain_json()
    {
        await Messenger.PostAsync("111", Card, CancellationToken.None);
        var post = Assert.Single(_fake.Requests);
        Assert.False(post.IsMultipart);
        Assert.False(post.Json.TryGetProperty("attachments", out _));
    }

    [Fact]
    public async Task A_global_429_pauses_every_route()
    {
        _fake.Answer(new ScriptedAnswer("PATCH", "/channels/111/messages/9", 429, """{"message":"global","retry_after":0.5,"global":true}""", new() { ["X-RateLimit-Global"] = "true", ["X-RateLimit-Scope"] = "global" }));
        var edit = Messenger.UpdateAsync("111", "9", Card, CancellationToken.None);
        await _fake.WaitForAsync(r => r.Method == "PATCH");
        // Not a fixed pause: wait until the client has read the 429 and begun waiting out the global pause.
        await _time.FirstWait.WaitAsync(TimeSpan.FromSeconds(10));
        await Messenger.PostAsync("222", Card, CancellationToken.None);
        await edit;

        var firstPatch = _fake.Requests.First(r => r.Method == "PATCH");
        var post = _fake.Requests.Single(r => r.Method == "POST");
        Assert.True(post.At - firstPatch.At >= TimeSpan.FromMilliseconds(450), "another route went out during the global pause");
    }

    [Fact]
    public async Task An_exhausted_bucket_is_respected_before_Discord_has_to_say_429()
    {
        _fake.Answer(new ScriptedAnswer("POST", "/channels/333/messages", 200, """{"id":"1"}""",
            new() { ["X-RateLimit-Bucket"] = "bucket-333", ["X-RateLimit-Limit"] = "1", ["X-RateLimit-Remaining"] = "0", ["X-RateLimit-Reset-After"] = "0.7" }));
        await Messenger.PostAsync("333", Card, CancellationToken.None);
        await Messenger.PostAsync("333", Card, CancellationToken.None);
        await Messenger.PostAsync("444", Card, CancellationToken.None); // another channel is another bucket

        var posts = _fake.Requests.Where(r => r.Path.Contains("/channels/333/")).ToList();
        Assert.True(posts[1].At - posts[0].At >= TimeSpan.FromMilliseconds(600));
        Assert.True(_fake.Requests.Single(r => r.Path.Contains("/channels/444/")).At > posts[1].At);
    }

    [Theory]
    [InlineData(401)]
    [InlineData(403)]
    public async Task A_401_or_403_is_never_retried(int status)
    {
        _fake.Answer(new ScriptedAnswer("PATCH", "/channels/111/messages/9", status, """{"message":"Missing Access","code":50001}"""));
        var error = await Assert.ThrowsAsync<DiscordApiException>(() => Messenger.UpdateAsync("111", "9", Card, CancellationToken.None));
        Assert.Equal((HttpStatusCode)status, error.Status);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task A_message_post_that_fails_with_5xx_is_not_repeated_but_an_edit_is()
    {
        _fake.Answer(new ScriptedAnswer("POST", "/channels/111/messages", 502, "<html>Bad gateway</html>"));
        await Assert.ThrowsAsync<DiscordApiException>(() => Messenger.PostAsync("111", Card, CancellationToken.None));
        Assert.Single(_fake.Requests, r => r.Method == "POST");

        _fake.Answer(new ScriptedAnswer("PATCH", "/channels/111/messages/9", 500, """{"message":"500: Internal Server Error","code":0}"""));
        await Messenger.UpdateAsync("111", "9", Card, CancellationToken.None);
        Assert.Equal(2, _fake.Requests.Count(r => r.Method == "PATCH"));
    }

    [Fact]
    public async Task Every_request_carries_the_user_agent_a_content_type_and_the_bot_token()
    {
        await Messenger.PostAsync("111", Card, CancellationToken.None);
        await Messenger.UpdateAsync("111", "9", Card, CancellationToken.None);
        await Messenger.DeleteAsync("111", "9", CancellationToken.None);
        await Messenger.SendPrivateAsync("discord:43", Card, CancellationToken.None);

        Assert.Equal(["POST", "PATCH", "DELETE", "POST", "POST"], _fake.Requests.Select(r => r.Method));
        foreach (var request in _fake.Requests)
        {
            Assert.Matches(@"^DiscordBot \(https?://\S+, [0-9][^)]*\)$", request.Headers["User-Agent"]);
            // A request with a body says it is JSON; the DELETE has none, and says nothing (Discord answers 50109 otherwise).
            if (request.Method == "DELETE") Assert.False(request.Headers.ContainsKey("Content-Type"));
            else Assert.StartsWith("application/json", request.Headers["Content-Type"]);
            Assert.Equal("Bot rest-token", request.Headers["Authorization"]);
        }
        Assert.DoesNotContain("111/9", _fake.Messages.Keys); // the delete took effect
    }

    [Fact]
    public async Task Every_message_and_edit_pings_nobody_even_when_the_text_names_everyone()
    {
        await Messenger.PostAsync("111", Card, CancellationToken.None);
        await Messenger.UpdateAsync("111", "9", Card, CancellationToken.None);
        await Messenger.SendPrivateAsync("discord:43", BotReply.Private("Hi <@&123> and @here"), CancellationToken.None);

        var messages = _fake.Requests.Where(r => r.Path.EndsWith("/messages", StringComparison.Ordinal) || r.Method == "PATCH").ToList();
        Assert.Equal(3, messages.Count);
        foreach (var message in messages)
        {
            message.Json.AssertPingsNobody();
            Assert.False(message.Json.IsEphemeral()); // channel messages and DMs cannot be ephemeral
        }
        Assert.Contains("@everyone", messages[0].Json.VisibleText());
    }

    [Fact]
    public async Task A_dm_to_a_member_with_DMs_closed_is_refused_as_such()
    {
        _fake.Answer(new ScriptedAnswer("POST", "/users/@me/channels", 200, """{"id":"7043","type":1}"""));
        _fake.Answer(new ScriptedAnswer("POST", "/channels/7043/messages", 403, """{"message":"Cannot send messages to this user","code":50007}"""));

        await Assert.ThrowsAsync<PrivateMessageRefusedException>(() => Messenger.SendPrivateAsync("discord:43", Card, CancellationToken.None));
        var dm = _fake.Requests.First();
        Assert.Equal("43", dm.Json.GetProperty("recipient_id").GetString());
        Assert.Single(_fake.Requests, r => r.Path.EndsWith("/messages", StringComparison.Ordinal)); // never retried
    }

    [Fact]
    public async Task A_member_whose_DMs_are_closed_is_not_asked_again_for_an_hour()
    {
        _fake.ClosedDms["43"] = true;

        await Assert.ThrowsAsync<PrivateMessageRefusedException>(() => Messenger.SendPrivateAsync("discord:43", Card, CancellationToken.None));
        await Assert.ThrowsAsync<PrivateMessageRefusedException>(() => Messenger.SendPrivateAsync("discord:43", Card, CancellationToken.None));
        Assert.Single(_fake.Requests, r => r.Path == "/api/v10/channels/743/messages"); // one refusal, not one per message

        _time.Advance(DiscordMessenger.ClosedDmsRemembered + TimeSpan.FromMinutes(1));
        _fake.ClosedDms.Clear(); // they opened their DMs meanwhile
        await Messenger.SendPrivateAsync("discord:43", Card, CancellationToken.None);
        Assert.Equal(2, _fake.Requests.Count(r => r.Path == "/api/v10/channels/743/messages"));
    }

    [Fact]
    public async Task A_form_cannot_be_posted_so_the_message_says_how_to_open_it()
    {
        var form = BotReply.ShowForm(new ReplyForm("session:schedule", "Schedule", [new FormField("when", "When")])) with { Text = "Time to set the schedule." };
        await Messenger.PostAsync("111", form, CancellationToken.None);
        var text = _fake.Requests.Single().Json.VisibleText();
        Assert.Contains("Time to set the schedule.", text);
        Assert.Contains(DiscordMessenger.FormNotPossibleNote, text);
    }

    [Fact]
    public async Task Register_commands_overwrites_the_guild_commands_with_the_manifest()
    {
        var registrar = _services.GetRequiredService<CommandRegistrar>();
        var count = await registrar.RegisterAsync(CommandManifest.Embedded(), "900", CancellationToken.None);

        var put = Assert.Single(_fake.Requests);
        Assert.Equal("PUT", put.Method);
        Assert.Equal("/api/v10/applications/1000/guilds/900/commands", put.Path);
        var names = put.Json.EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        Assert.Equal(["poll", "agenda", "rota", "session", "concern", "setup", "me", "record", "checkout", "help"], names);
        Assert.Equal(names.Count, count);

        await registrar.RegisterAsync(CommandManifest.Embedded(), null, CancellationToken.None);
        Assert.Equal("/api/v10/applications/1000/commands", _fake.Requests.Last().Path);
    }
}

/// <summary>
/// The real clock, telling when the rate limiter first starts waiting (every wait of the limiter is a timer of its
/// <see cref="TimeProvider"/>), so a test can act after a 429 has been read rather than after a guessed delay.
/// </summary>
internal sealed class WaitWatchingTime : TimeProvider
{
    private readonly TaskCompletionSource _firstWait = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task FirstWait => _firstWait.Task;

    private TimeSpan _ahead;

    /// <summary>Moves the clock on (for what the bot remembers for a while), without touching timers.</summary>
    public void Advance(TimeSpan by) => _ahead += by;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow() + _ahead;

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime > TimeSpan.Zero) _firstWait.TrySetResult();
        return base.CreateTimer(callback, state, dueTime, period);
    }
}
