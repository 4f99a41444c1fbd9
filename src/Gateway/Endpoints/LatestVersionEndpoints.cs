using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Endpoints;

/// <summary>
/// <c>GET /latest-version</c>: asks the release feed (setting
/// <c>Gateway:LatestReleaseUrl</c>, GitHub's "latest release" API by default) for the newest tag,
/// through <c>proxy-url</c> when set, with a 10 s timeout.
/// </summary>
public static class LatestVersionEndpoints
{
    /// <summary>GitHub's latest-release API of the reference project.</summary>
    public const string DefaultReleaseUrl = "https://api.github.com/repos/router-for-me/CLIProxyAPI/releases/latest";

    /// <summary>Adds the route to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapLatestVersion(this RouteGroupBuilder group)
    {
        group.MapGet("/latest-version", Get).WithSummary("Newest released version of the proxy").WithTags("Config document");
        return group;
    }

    private static async Task<IResult> Get(HttpContext http, ConfigSnapshotCache configs, ReleaseClient releases)
    {
        var proxy = (await configs.GetAsync()).Settings.ProxyUrl.Trim();
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, releases.Url);
            request.Headers.Accept.ParseAdd("application/vnd.github+json");
            request.Headers.UserAgent.ParseAdd("CLIProxyAPI");
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            response = await releases.For(proxy).SendAsync(request, timeout.Token);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return JsonResponses.Error(502, "request_failed", e.Message);
        }
        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(http.RequestAborted);
            if (response.StatusCode != HttpStatusCode.OK)
                return JsonResponses.Error(502, "unexpected_status", $"status {(int)response.StatusCode}: {(text.Length > 1024 ? text[..1024] : text).Trim()}");
            JsonNode? release;
            try
            {
                release = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                return JsonResponses.Error(502, "decode_failed", e.Message);
            }
            var version = Field(release, "tag_name") is { Length: > 0 } tag ? tag : Field(release, "name");
            return version.Length == 0
                ? JsonResponses.Error(502, "invalid_response", "missing release version")
                : JsonResponses.Json(new JsonObject { ["latest-version"] = version });
        }
    }

    private static string Field(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : "";
}

/// <summary>HTTP clients for the release feed, one per proxy setting (direct, <c>http(s)://</c> or <c>socks5://</c>).</summary>
public sealed class ReleaseClient(string url) : IDisposable
{
    private readonly ConcurrentDictionary<string, HttpClient> _clients = new(StringComparer.Ordinal);

    /// <summary>The feed's URL.</summary>
    public string Url { get; } = url;

    /// <summary>A client that goes through <paramref name="proxyUrl"/> when it is an http, https or socks5 URL.</summary>
    public HttpClient For(string proxyUrl) => _clients.GetOrAdd(proxyUrl, p =>
    {
        var handler = new SocketsHttpHandler();
        if (Uri.TryCreate(p, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "socks5")
        {
            var proxy = new WebProxy(uri);
            if (uri.UserInfo.Split(':', 2) is [var user, var pass]) proxy.Credentials = new NetworkCredential(Uri.UnescapeDataString(user), Uri.UnescapeDataString(pass));
            handler.Proxy = proxy;
            handler.UseProxy = true;
        }
        return new HttpClient(handler);
    });

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var c in _clients.Values) c.Dispose();
    }
}
