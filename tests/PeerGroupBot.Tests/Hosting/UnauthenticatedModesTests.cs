using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using PeerGroupBot.Hosting;
using PeerGroupBot.Testing;

namespace PeerGroupBot.Tests.Hosting;

/// <summary>
/// Teams with no app id and the playground have no authentication, so they exist only in Development and answer only
/// programs on this machine: a reverse proxy on the same host makes every client look like loopback, so a request
/// carrying a forwarding header is refused, and only JSON bodies are read (a web page can send text/plain anywhere).
/// In Production an empty Teams:AppId turns the Teams endpoint off and the start-up log says so.
/// </summary>
public sealed class UnauthenticatedModesTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pgb-modes-").FullName;
    private readonly List<WebApplication> _apps = [];

    private const string Activity = """{"type":"message","id":"a1","channelId":"msteams","serviceUrl":"http://127.0.0.1:9/connector/","from":{"id":"29:mallory","name":"Mallory"},"recipient":{"id":"28:bot","name":"PeerGroupBot"},"conversation":{"id":"19:chat@thread.v2","conversationType":"groupChat"},"text":"setup Hijack"}""";

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var app in _apps) { await app.StopAsync(); await app.DisposeAsync(); }
        try { Directory.Delete(_folder, recursive: true); } catch (IOException) { }
    }

    private async Task<(HttpClient Client, CapturingLoggerProvider Logs)> StartAsync(string environment, params string[] extra)
    {
        var logs = new CapturingLoggerProvider();
        var app = BotHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            $"--environment={environment}",
            "--Storage:Provider=Folder",
            $"--Storage:FolderPath={Path.Combine(_folder, Guid.NewGuid().ToString("N"))}",
            $"--Security:PseudonymKey={Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i + 1)).ToArray())}",
            $"--Concerns:EncryptionKey={Convert.ToBase64String(new byte[32].Select((_, i) => (byte)(i * 3 + 1)).ToArray())}",
            "--Teams:AppId=",
            .. extra,
        ], builder => builder.Logging.AddProvider(logs));
        _apps.Add(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return (new HttpClient { BaseAddress = new Uri(address) }, logs);
    }

    private static HttpRequestMessage TeamsPost(string contentType = "application/json", params (string Name, string Value)[] headers)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/teams/messages") { Content = new StringContent(Activity, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        foreach (var (name, value) in headers) request.Headers.TryAddWithoutValidation(name, value);
        return request;
    }

    private string[] StoredFiles() => Directory.EnumerateFiles(_folder, "*.json", SearchOption.AllDirectories).ToArray();

    [Fact]
    public async Task In_production_an_empty_app_id_turns_the_teams_endpoint_off_and_the_log_says_so()
    {
        var (client, logs) = await StartAsync("Production", "--Playground:Enabled=false");

        using var response = await client.SendAsync(TeamsPost());

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        await WaitForAsync(() => logs.Lines.Any(l => l.Contains("the Teams endpoint /api/teams/messages is off (404)", StringComparison.Ordinal)));
        Assert.DoesNotContain(logs.Lines, l => l.Contains("accepts unauthenticated", StringComparison.Ordinal));
        Assert.DoesNotContain(StoredFiles(), f => f.Contains("teams", StringComparison.Ordinal) || f.Contains("channels", StringComparison.Ordinal));
    }

    [Fact]
    public async Task In_production_the_playground_is_off_even_when_enabled()
    {
        var (client, logs) = await StartAsync("Production", "--Playground:Enabled=true");

        using var page = await client.GetAsync("/playground/");
        using var people = await client.GetAsync("/playground/api/people");

        Assert.Equal(HttpStatusCode.NotFound, page.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, people.StatusCode);
        Assert.Contains(logs.Lines, l => l.Contains("runs only in Development; it is off", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("X-Forwarded-For", "203.0.113.7")]
    [InlineData("Forwarded", "for=203.0.113.7")]
    [InlineData("X-Real-IP", "203.0.113.7")]
    public async Task In_development_a_request_forwarded_by_a_local_proxy_is_refused_by_teams_and_the_playground(string header, string value)
    {
        var (client, _) = await StartAsync("Development");

        using var teams = await client.SendAsync(TeamsPost(headers: (header, value)));
        using var playgroundRequest = new HttpRequestMessage(HttpMethod.Get, "/playground/api/people");
        playgroundRequest.Headers.TryAddWithoutValidation(header, value);
        using var playground = await client.SendAsync(playgroundRequest);
        using var direct = await client.GetAsync("/playground/api/people");

        Assert.Equal(HttpStatusCode.Unauthorized, teams.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, playground.StatusCode);
        Assert.Equal(HttpStatusCode.OK, direct.StatusCode); // the same page straight from this machine works
        Assert.DoesNotContain(StoredFiles(), f => f.Contains("teams", StringComparison.Ordinal) || f.Contains("channels", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData("multipart/form-data; boundary=x")]
    public async Task A_body_that_is_not_json_is_not_read(string contentType)
    {
        var (client, _) = await StartAsync("Development");

        using var response = await client.SendAsync(TeamsPost(contentType));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, response.StatusCode);
        Assert.DoesNotContain(StoredFiles(), f => f.Contains("teams", StringComparison.Ordinal) || f.Contains("channels", StringComparison.Ordinal));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        var until = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            if (DateTime.UtcNow > until) throw new TimeoutException("The condition never held.");
            await Task.Delay(20);
        }
    }
}
