namespace PeerGroupBot.Discord.Rest;

/// <summary>
/// What the rate limiter needs to know about a request path: its route template (ids replaced, so requests to the
/// same endpoint share what Discord said about its bucket), its top-level resource (channel, guild or webhook, which
/// Discord counts separately), and whether it counts towards the global limit (interaction webhooks do not).
/// </summary>
public sealed record DiscordRoute(string Template, string MajorParameter, bool CountsGlobally)
{
    public static DiscordRoute Parse(HttpMethod method, string path)
    {
        var segments = path.Split('?', 2)[0].Trim('/').Split('/');
        var template = new string[segments.Length];
        var major = "";
        for (var i = 0; i < segments.Length; i++)
        {
            var segment = segments[i];
            var previous = i > 0 ? segments[i - 1] : "";
            if (i == 1 && previous is "channels" or "guilds" or "webhooks")
            {
                major = $"{previous}/{segment}";
                template[i] = "{major}";
            }
            else if (i == 2 && segments[0] == "webhooks")
            {
                major += "/" + segment; // webhook id + token: each interaction's webhook has its own limits
                template[i] = "{token}";
            }
            else if (i == 2 && segments[0] == "interactions")
            {
                template[i] = "{token}";
            }
            else
            {
                template[i] = segment.Length > 0 && segment.All(char.IsAsciiDigit) ? "{id}" : segment;
            }
        }
        var exempt = segments[0] is "webhooks" or "interactions";
        return new DiscordRoute($"{method.Method} {string.Join('/', template)}", major, CountsGlobally: !exempt);
    }
}
