using System.Buffers;
using System.Text.Json.Nodes;
using CliProxy.Abstractions.Usage;
using CliProxy.Domain.Usage;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Usage;
using Microsoft.Extensions.Options;

namespace CliProxy.Gateway.Endpoints;

/// <summary>
/// Usage statistics (spec §1.7–§1.9): <c>GET /usage</c> (aggregates and the newest details, one grain
/// call), <c>GET /usage/export</c> (streamed from the store), <c>POST /usage/import</c> (bounded body,
/// merged in chunks), and <c>GET /usage/hours</c> (the per-day hours the §1.6 shape sums away).
/// </summary>
public static class UsageEndpoints
{
    /// <summary>Adds the routes to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapUsage(this RouteGroupBuilder group)
    {
        group.MapGet("/usage", Get).WithSummary("Usage statistics: totals, per client key and model, per day and hour, newest details").WithTags("Usage");
        group.MapGet("/usage/hours", Hours).WithSummary("Requests and tokens per hour of each day").WithTags("Usage");
        group.MapGet("/usage/export", Export).WithSummary("All usage statistics with every stored detail, for /usage/import").WithTags("Usage");
        group.MapPost("/usage/import", Import).WithSummary("Merges an export; details already stored are skipped").WithTags("Usage");
        return group;
    }

    private static IUsageGrain Grain(IGrainFactory grains) => grains.GetGrain<IUsageGrain>(UsageGrainKeys.Default);

    /// <summary><c>200 {"failed_requests": n, "usage": snapshot}</c>.</summary>
    private static async Task Get(HttpContext http, IGrainFactory grains)
    {
        var snapshot = await Grain(grains).GetSnapshot();
        http.Response.ContentType = JsonResponses.ContentType;
        var body = http.Response.BodyWriter;
        body.Write(System.Text.Encoding.UTF8.GetBytes($"{{\"failed_requests\":{snapshot.FailureCount},\"usage\":"));
        body.Write(snapshot.Utf8);
        body.Write("}"u8);
        await body.FlushAsync(http.RequestAborted);
    }

    private static async Task<IResult> Hours(IGrainFactory grains) =>
        JsonResponses.Json((await Grain(grains).GetDayHours()).Utf8);

    /// <summary><c>200 {"version":1,"exported_at":…,"usage":…}</c>, written chunk by chunk as the grain reads the store.</summary>
    private static async Task Export(HttpContext http, IGrainFactory grains)
    {
        http.Response.ContentType = JsonResponses.ContentType;
        await foreach (var chunk in Grain(grains).Export().WithCancellation(http.RequestAborted))
            await http.Response.Body.WriteAsync(chunk.Utf8, http.RequestAborted);
    }

    private static async Task<IResult> Import(HttpRequest request, IGrainFactory grains, ConfigSnapshotCache configs, IOptions<UsageRecorderOptions> options, TimeProvider time)
    {
        string body;
        try
        {
            body = await BodyReader.ReadAsync(request, options.Value.ImportLimit, request.HttpContext.RequestAborted);
        }
        catch (Exception e) when (e is IOException or BadHttpRequestException)
        {
            return JsonResponses.Error(400, "failed to read request body");
        }
        var settings = (await configs.GetAsync()).Settings;
        var payload = UsageImport.Parse(body, time.GetUtcNow(), options.Value.Zone(), UpstreamKeys(settings));
        if (payload.Error is { } error) return JsonResponses.Error(400, error);
        var grain = Grain(grains);
        long added = 0, skipped = 0;
        UsageImportResult? last = null;
        foreach (var chunk in payload.Details.Chunk(Math.Max(1, options.Value.ImportChunk)))
        {
            // Safe to send again: a detail already stored is skipped, never counted twice.
            last = await grain.Import(new UsageImportChunk(chunk));
            added += last.Added;
            skipped += last.Skipped;
        }
        last ??= await grain.Import(new UsageImportChunk([]));
        return JsonResponses.Json(new JsonObject
        {
            ["added"] = added, ["failed_requests"] = last.FailedRequests, ["skipped"] = skipped, ["total_requests"] = last.TotalRequests,
        });
    }

    /// <summary>The upstream keys of the five provider lists: an imported <c>source</c> equal to one is masked.</summary>
    private static HashSet<string> UpstreamKeys(Domain.Config.Settings.ConfigSettings s) =>
        s.GeminiKeys.Select(k => k.ApiKey).Concat(s.ClaudeKeys.Select(k => k.ApiKey)).Concat(s.CodexKeys.Select(k => k.ApiKey))
            .Concat(s.VertexKeys.Select(k => k.ApiKey)).Concat(s.OpenAICompatibility.SelectMany(p => p.ApiKeyEntries.Select(e => e.ApiKey)))
            .Where(k => k.Length > 0).ToHashSet(StringComparer.Ordinal);
}
