using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using PeerGroupBot.Core.Concerns;
using PeerGroupBot.Core.Conversation;
using PeerGroupBot.Core.Outbound;
using PeerGroupBot.Teams.Inbound;

namespace PeerGroupBot.Playground;

/// <summary>What the page sends: who, where, and a message, a click or a form.</summary>
public sealed record PlaygroundInput(
    string Person,
    string Place,
    string? Text = null,
    string? ActionId = null,
    Dictionary<string, string>? Values = null,
    List<string>? Selected = null,
    string? SourceMessageId = null,
    Dictionary<string, List<string>>? Choices = null);

/// <summary>
/// The playground adapter: no auth, so only in Development and only for programs on this machine (loopback, no
/// forwarding headers). It translates page requests to <see cref="BotInput"/>, calls the
/// same core as Teams and Discord, and turns replies into feed events (HTML rendering happens in the page).
/// </summary>
public static partial class PlaygroundApi
{
    public static IServiceCollection AddPlayground(this IServiceCollection services, IConfiguration configuration, IHostEnvironment environment)
    {
        services.AddOptions<PlaygroundOptions>()
            .Configure(o => o.Enabled = environment.IsDevelopment())
            .Bind(configuration.GetSection(PlaygroundOptions.Section));
        services.AddSingleton<PlaygroundFeed>();
        services.AddSingleton<IPlatformMessenger>(sp => sp.GetRequiredService<PlaygroundFeed>());
        return services;
    }

    public static IEndpointRouteBuilder MapPlayground(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/playground").AddEndpointFilter(async (context, next) =>
        {
            if (!LocalCaller.IsLocal(context.HttpContext))
                return Results.Problem("The playground only answers programs on this machine (loopback, not through a proxy).", statusCode: StatusCodes.Status403Forbidden);
            return await next(context);
        });

        group.MapGet("/", () =>
        {
            using var stream = typeof(PlaygroundApi).Assembly.GetManifestResourceStream("playground.html")!;
            using var reader = new StreamReader(stream);
            return Results.Content(reader.ReadToEnd(), "text/html; charset=utf-8");
        });
        group.MapGet("/api/people", () => PlaygroundPerson.All);
        group.MapGet("/api/about", (IOptions<ConcernsOptions> concerns) => new { concernDelay = concerns.Value.PostDelayWords() });
        group.MapGet("/api/feed", (long? since, string? person, PlaygroundFeed feed) =>
            PlaygroundPerson.Find(person) is null
                ? Results.BadRequest(new { error = "Unknown person." })
                : Results.Ok(feed.Since(since ?? 0, person!)));
        group.MapPost("/api/send", SendAsync);
        return endpoints;
    }

    private static async Task<IResult> SendAsync(PlaygroundInput request, ConversationRouter router, PlaygroundFeed feed, CancellationToken cancellationToken)
    {
        var person = PlaygroundPerson.Find(request.Person);
        if (person is null) return Results.BadRequest(new { error = "Pick one of the sample people." });
        var channel = request.Place switch
        {
            "group" => PlaygroundChannels.Group,
            "staff" => PlaygroundChannels.Staff,
            "private" => PlaygroundChannels.PrivateOf(person.Id),
            _ => null,
        };
        if (channel is null) return Results.BadRequest(new { error = "Place must be group, staff or private." });
        // The facilitators' channel is private to facilitators, as on a real platform: enforced here, not only hidden.
        if (channel == PlaygroundChannels.Staff && !person.Facilitator)
            return Results.Json(new { error = "The facilitators' channel is only for facilitators." }, statusCode: StatusCodes.Status403Forbidden);
        var isPrivate = request.Place == "private";

        BotInput input;
        var actor = new Actor(person.MemberId, person.Name, person.Facilitator);
        var place = new Place(PlaygroundFeed.PlatformName, channel, isPrivate);
        if (!string.IsNullOrEmpty(request.ActionId))
        {
            input = new BotInput
            {
                Actor = actor,
                Place = place,
                Kind = request.Values is null ? InputKind.Action : InputKind.Form,
                ActionId = request.ActionId,
                Values = request.Values ?? [],
                Selected = request.Selected ?? [],
                Choices = (request.Choices ?? []).Take(25).ToDictionary(c => c.Key, c => (IReadOnlyList<string>)(c.Value ?? []), StringComparer.Ordinal),
                SourceMessageId = request.SourceMessageId,
            };
        }
        else if (!string.IsNullOrWhiteSpace(request.Text))
        {
            feed.AddHuman(channel, person.Name, request.Text, visibleTo: null);
            input = new BotInput { Actor = actor, Place = place, Kind = InputKind.Message, Text = request.Text, Mentions = MentionsIn(request.Text) };
        }
        else
        {
            return Results.BadRequest(new { error = "Send some text, a click or a form." });
        }

        var replies = await router.HandleAsync(input, cancellationToken);
        var forms = new List<ReplyForm>();
        foreach (var reply in replies)
        {
            if (reply.Form is not null) { forms.Add(reply.Form); continue; }
            var visibleTo = reply.Visibility == ReplyVisibility.Private && !isPrivate ? person.Id : null;
            var source = reply.UpdatesSource && !string.IsNullOrEmpty(request.SourceMessageId) ? feed.Find(channel, request.SourceMessageId) : null;
            // A private answer never replaces a message everyone sees (as on Discord, where only an ephemeral message
            // can become another ephemeral one): it arrives as a new message only this person sees.
            if (source is not null && (source.VisibleTo is not null || visibleTo is null))
                feed.Update(channel, source.MessageId, reply, source.VisibleTo);
            else
                feed.AddBot(channel, reply, visibleTo);
        }
        return Results.Ok(new { forms });
    }

    [GeneratedRegex(@"@(\w+)")]
    private static partial Regex MentionPattern();

    private static List<Mention> MentionsIn(string text)
        => MentionPattern().Matches(text)
            .Select(m => PlaygroundPerson.All.FirstOrDefault(p => p.Name.Equals(m.Groups[1].Value, StringComparison.OrdinalIgnoreCase)))
            .OfType<PlaygroundPerson>()
            .DistinctBy(p => p.Id)
            .Select(p => new Mention(p.MemberId, p.Name))
            .ToList();
}
