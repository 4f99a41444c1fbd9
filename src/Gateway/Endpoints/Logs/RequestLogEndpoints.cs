using System.Text.Json.Nodes;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Logging;

namespace CliProxy.Gateway.Endpoints.Logs;

/// <summary>
/// This node's request logs (spec §2.5): <c>GET /request-error-logs</c> (the error-only logs, newest first),
/// <c>GET /request-error-logs/:name</c> and <c>GET /request-log-by-id/:id</c> (a download, the name checked
/// so it cannot leave the log directory). A request's id is in its <see cref="RequestIds.RequestIdHeader"/>
/// answer header, and its log is on the node named by <see cref="RequestIds.NodeHeader"/>.
/// </summary>
public static class RequestLogEndpoints
{
    /// <summary>Adds the routes to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapRequestLogs(this RouteGroupBuilder group)
    {
        group.MapGet("/request-error-logs", List).WithSummary("Error-only request logs of this node").WithTags("Logs");
        group.MapGet("/request-error-logs/{name}", Download).WithSummary("Download one error-only request log").WithTags("Logs");
        group.MapGet("/request-log-by-id/{id}", ById).WithSummary("Download the request log of a request id").WithTags("Logs");
        return group;
    }

    private static async Task<IResult> List(ConfigSnapshotCache configs, LogLocation location)
    {
        var empty = JsonResponses.Json(new JsonObject { ["files"] = new JsonArray() });
        if ((await configs.GetAsync()).Settings.RequestLog) return empty;
        var directory = new DirectoryInfo(location.Directory);
        if (!directory.Exists) return empty;
        List<FileInfo> files;
        try
        {
            files = directory.EnumerateFiles().Where(f => LogFileNames.IsErrorLog(f.Name)).ToList();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return JsonResponses.Error(500, $"failed to list request error logs: {e.Message}");
        }
        var entries = files.OrderByDescending(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal)
            .Select(f => (JsonNode?)new JsonObject
            {
                ["name"] = f.Name,
                ["size"] = f.Length,
                ["modified"] = new DateTimeOffset(f.LastWriteTimeUtc).ToUnixTimeSeconds(),
            });
        return JsonResponses.Json(new JsonObject { ["files"] = new JsonArray(entries.ToArray()) });
    }

    private static IResult Download(string name, LogLocation location)
    {
        if (name.Length == 0 || name.Contains('/') || name.Contains('\\')) return JsonResponses.Error(400, "invalid log file name");
        if (!LogFileNames.IsErrorLog(name)) return JsonResponses.Error(404, "log file not found");
        return LogFileDownload.Of(location.Directory, name);
    }

    private static IResult ById(HttpContext http, string id, LogLocation location)
    {
        id = id.Trim();
        if (id.Length == 0) id = http.Request.Query["id"].ToString().Trim();
        if (id.Length == 0) return JsonResponses.Error(400, "missing request ID");
        if (id.Contains('/') || id.Contains('\\')) return JsonResponses.Error(400, "invalid request ID");
        var directory = new DirectoryInfo(location.Directory);
        if (!directory.Exists) return JsonResponses.Error(404, "log directory not found");
        FileInfo? match;
        try
        {
            // Ids do not repeat within a process; a match left by an earlier process is older, so the newest wins
            // (the reference took the first name in order, spec §7 defect 14).
            match = directory.EnumerateFiles().Where(f => f.Name.EndsWith($"-{id}.log", StringComparison.Ordinal))
                .OrderByDescending(f => f.LastWriteTimeUtc).ThenBy(f => f.Name, StringComparer.Ordinal).FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return JsonResponses.Error(500, $"failed to list log directory: {e.Message}");
        }
        return match is null ? JsonResponses.Error(404, "log file not found for the given request ID") : LogFileDownload.Of(location.Directory, match.Name);
    }
}
