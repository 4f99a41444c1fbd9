using System.Text.Json.Nodes;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Releases;

namespace CliProxy.Gateway.Endpoints;

/// <summary>
/// <c>GET /latest-version</c> (spec §4.1): the newest released version, from <see cref="LatestReleaseCache"/>
/// (asked through the config's <c>proxy-url</c>, kept a few minutes on this node).
/// </summary>
public static class LatestVersionEndpoints
{
    /// <summary>The setting of the feed's URL (default <see cref="DefaultReleaseUrl"/>).</summary>
    public const string ReleaseUrlKey = "Outbound:LatestReleaseUrl";

    /// <summary>The setting of how long an answer is kept (a time span, default 5 minutes; <c>00:00:00</c> keeps nothing).</summary>
    public const string CacheKey = "Outbound:LatestReleaseCache";

    /// <summary>GitHub's latest-release API of the reference project.</summary>
    public const string DefaultReleaseUrl = "https://api.github.com/repos/router-for-me/CLIProxyAPI/releases/latest";

    /// <summary>Adds the route to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapLatestVersion(this RouteGroupBuilder group)
    {
        group.MapGet("/latest-version", Get).WithSummary("Newest released version of the proxy").WithTags("Config document");
        return group;
    }

    private static async Task<IResult> Get(HttpContext http, ConfigSnapshotCache configs, LatestReleaseCache releases)
    {
        var answer = await releases.GetAsync((await configs.GetAsync()).Settings.ProxyUrl, http.RequestAborted);
        return answer.IsSuccess
            ? JsonResponses.Json(new JsonObject { ["latest-version"] = answer.Version })
            : JsonResponses.Error(answer.Status, answer.Error, answer.Message);
    }
}
