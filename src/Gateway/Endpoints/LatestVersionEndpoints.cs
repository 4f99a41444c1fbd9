using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Domain.Outbound;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Endpoints;

/// <summary>
/// <c>GET /latest-version</c> (spec §6.4): asks the <see cref="ReleaseFeed"/> for the newest tag through
/// the config's <c>proxy-url</c> (<see cref="OutboundHttp"/>), with a 10 s timeout and cancelled when the
/// client goes away.
/// </summary>
public static class LatestVersionEndpoints
{
    /// <summary>The setting of the feed's URL (default <see cref="DefaultReleaseUrl"/>).</summary>
    public const string ReleaseUrlKey = "Outbound:LatestReleaseUrl";

    /// <summary>GitHub's latest-release API of the reference project.</summary>
    public const string DefaultReleaseUrl = "https://api.github.com/repos/router-for-me/CLIProxyAPI/releases/latest";

    /// <summary>Longest the feed may take to answer, body included.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Adds the route to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapLatestVersion(this RouteGroupBuilder group)
    {
        group.MapGet("/latest-version", Get).WithSummary("Newest released version of the proxy").WithTags("Config document");
        return group;
    }

    private static async Task<IResult> Get(HttpContext http, ConfigSnapshotCache configs, OutboundHttp outbound, ReleaseFeed feed)
    {
        var proxy = (await configs.GetAsync()).Settings.ProxyUrl;
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, feed.Url);
            request.Headers.Accept.ParseAdd("application/vnd.github+json");
            request.Headers.UserAgent.ParseAdd("CLIProxyAPI");
            response = await outbound.For(proxy, Timeout).SendAsync(request, http.RequestAborted);
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

/// <summary>Where <c>GET /latest-version</c> asks for the newest release.</summary>
/// <param name="Url">The feed's URL: GitHub's "latest release" API (<see cref="LatestVersionEndpoints.DefaultReleaseUrl"/>) or a stand-in of it.</param>
public sealed record ReleaseFeed(string Url);
