using System.Text.Json.Nodes;
using System.Text.Json;
using CliProxy.Abstractions.Activity;
using CliProxy.Abstractions.AuthFiles;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Errors;
using CliProxy.Domain.Proxy.Activity;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Hosting;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Usage;
using Microsoft.Extensions.Options;

namespace CliProxy.Gateway.Endpoints.AuthFiles;

/// <summary>
/// Read routes of the credentials: the list (one index call),
/// the models of one credential, the static catalog, and the raw download.
/// </summary>
public static class AuthFileReadEndpoints
{
    /// <summary>Adds the routes to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapAuthFileReads(this RouteGroupBuilder group)
    {
        group.MapGet("/auth-files", List).WithSummary("All credentials (optional filters name, auth_index)").WithTags("Auth files");
        group.MapGet("/auth-files/models", Models).WithSummary("Models served by one credential").WithTags("Auth files");
        group.MapGet("/auth-files/download", Download).WithSummary("The raw credential file").WithTags("Auth files");
        group.MapGet("/model-definitions/{channel?}", Definitions).WithSummary("Static model catalog of a channel").WithTags("Auth files");
        return group;
    }

    /// <summary>
    /// <c>{"files": [...]}</c>: each entry as <see cref="AuthFileListEntry"/> writes it, with the credential's attempt counts
    /// (<c>success</c>, <c>failed</c>, <c>recent_requests</c>, as the reference's and <c>GET /api-key-usage</c>'s) at the end —
    /// left out, with a warning in the log, when the counts cannot be read: the list does not depend on them.
    /// </summary>
    private static async Task List(HttpContext http, IGrainFactory grains, GatewayHost host, IOptions<UsageRecorderOptions> usage, ILoggerFactory logs)
    {
        var reading = ReadActivityAsync(grains, logs);
        var all = await grains.GetGrain<IAuthFileIndexGrain>(AuthFileKeys.Index).List();
        var rows = await reading;
        var activity = rows?.ByCredential();
        var zone = usage.Value.Zone();
        var name = http.Request.Query["name"].ToString().Trim();
        var index = http.Request.Query["auth_index"].ToString().Trim();
        http.Response.ContentType = JsonResponses.ContentType;
        await using var writer = new Utf8JsonWriter(http.Response.BodyWriter);
        writer.WriteStartObject();
        writer.WriteStartArray("files");
        foreach (var s in all)
        {
            if (name.Length > 0 && s.Name != name) continue;
            if (index.Length > 0 && s.AuthIndex != index) continue;
            AuthFileListEntry.Write(writer, s, host.AuthDirectory,
                activity is null ? null : w => RecentRequestsJson.WriteCounts(w, activity.GetValueOrDefault(s.Name), rows!.Current, zone));
            if (writer.BytesPending > 64 * 1024) await writer.FlushAsync(http.RequestAborted);
        }
        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(http.RequestAborted);
    }

    private static async Task<CredentialActivityRows?> ReadActivityAsync(IGrainFactory grains, ILoggerFactory logs)
    {
        try
        {
            return await grains.GetGrain<ICredentialActivityGrain>(CredentialActivityKeys.Cluster).Read();
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            logs.CreateLogger(typeof(AuthFileReadEndpoints)).LogWarning("Auth files listed without their attempt counts: {Error}", e.Message);
            return null;
        }
    }

    private static async Task<IResult> Models(HttpRequest request, IGrainFactory grains, ConfigSnapshotCache configs)
    {
        var name = request.Query["name"].ToString();
        if (name.Length == 0) return JsonResponses.Refuse(Refusals.NameRequired);
        if (AuthFileName.Validate(name, out var file) is not null) return JsonResponses.Refuse(Refusals.AuthFileNotFound);
        var content = await grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(file)).Get();
        if (content is null) return JsonResponses.Refuse(Refusals.AuthFileNotFound);
        var config = (await configs.GetAsync()).Settings;
        return JsonResponses.Json(new JsonObject { ["models"] = CredentialModels.For(CredentialEntry.Of(content.Summary), config) });
    }

    private static async Task<IResult> Download(HttpRequest request, HttpResponse response, IGrainFactory grains)
    {
        if (AuthFileName.Validate(request.Query["name"], out var name) is { } refusal) return JsonResponses.Refuse(refusal);
        var content = await grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(name)).Get();
        if (content is null) return JsonResponses.Refuse(Refusals.FileNotFound);
        response.Headers.ContentDisposition = $"attachment; filename=\"{name}\"";
        return Results.Bytes(System.Text.Encoding.UTF8.GetBytes(content.Json), "application/json");
    }

    private static IResult Definitions(string? channel, HttpRequest request)
    {
        var value = (string.IsNullOrWhiteSpace(channel) ? request.Query["channel"].ToString() : channel).Trim();
        if (value.Length == 0) return JsonResponses.Refuse(Refusals.ChannelRequired);
        if (ModelCatalog.Definitions(value) is { } body) return JsonResponses.Json(body);
        return JsonResponses.Json(new JsonObject { ["channel"] = value, ["error"] = Refusals.UnknownChannel }, RefusalStatus.Of(RefusalKind.Invalid));
    }
}
