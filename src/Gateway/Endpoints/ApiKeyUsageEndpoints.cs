using System.Text.Json;
using CliProxy.Abstractions.Activity;
using CliProxy.Domain.Proxy.Activity;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Proxy.Catalogue;
using CliProxy.Gateway.Usage;
using Microsoft.Extensions.Options;

namespace CliProxy.Gateway.Endpoints;

/// <summary>
/// <c>GET /api-key-usage</c> (the reference's, added after the spec; the Management Center's AI Providers page reads it):
/// per config-defined API-key credential, the cluster's counts of its attempts — <c>success</c>, <c>failed</c> and
/// <c>recent_requests</c>, 20 buckets of 10 minutes labelled in the usage time zone (<c>Usage:TimeZone</c>) — grouped as
/// <see cref="ApiKeyUsage"/> says. One grain call (<see cref="ICredentialActivityGrain.Read"/>); the credentials are this
/// node's catalogue.
/// </summary>
public static class ApiKeyUsageEndpoints
{
    /// <summary>Adds the route to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapApiKeyUsage(this RouteGroupBuilder group)
    {
        group.MapGet("/api-key-usage", Get).WithSummary("Attempts per upstream API key: totals and the last 200 minutes in 10-minute buckets").WithTags("Usage");
        return group;
    }

    /// <summary><c>200 {"&lt;provider&gt;": {"&lt;base-url&gt;|&lt;api-key&gt;": {"success": n, "failed": n, "recent_requests": [{"time": "HH:mm-HH:mm", "success": n, "failed": n}, …]}}}</c>.</summary>
    private static async Task Get(HttpContext http, IGrainFactory grains, CatalogueSource catalogue, IOptions<UsageRecorderOptions> usage)
    {
        var rows = await grains.GetGrain<ICredentialActivityGrain>(CredentialActivityKeys.Cluster).Read();
        var state = await catalogue.GetAsync();
        var zone = usage.Value.Zone();
        http.Response.ContentType = JsonResponses.ContentType;
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter);
        writer.WriteStartObject();
        foreach (var (provider, keys) in ApiKeyUsage.Group(state.Catalogue.Credentials, rows.ByCredential()))
        {
            writer.WriteStartObject(provider);
            foreach (var (key, counted) in keys)
            {
                writer.WriteStartObject(key);
                RecentRequestsJson.WriteCounts(writer, counted, rows.Current, zone);
                writer.WriteEndObject();
            }
            writer.WriteEndObject();
        }
        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
    }
}
