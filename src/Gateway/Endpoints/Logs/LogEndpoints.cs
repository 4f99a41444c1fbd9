using System.Globalization;
using System.Text.Json.Nodes;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Logging;

namespace CliProxy.Gateway.Endpoints.Logs;

/// <summary>
/// <c>GET /logs</c> and <c>DELETE /logs</c> (spec §2.5): this node's application log (logs are per node;
/// the <see cref="RequestIds.NodeHeader"/> answer header names the node). Both read
/// <c>logging-to-file</c> from the config as it is now, and switch the file on at once if it just was.
/// </summary>
public static class LogEndpoints
{
    /// <summary>Adds the routes to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapLogs(this RouteGroupBuilder group)
    {
        group.MapGet("/logs", Get).WithSummary("Tail of this node's application log").WithTags("Logs");
        group.MapDelete("/logs", Delete).WithSummary("Clear this node's application log").WithTags("Logs");
        return group;
    }

    private static async Task<IResult> Get(HttpContext http, ConfigSnapshotCache configs, MainLogFile file, TimeProvider time)
    {
        if (!(await configs.GetAsync()).Settings.LoggingToFile) return JsonResponses.Error(400, "logging to file disabled");
        file.SetEnabled(true);
        file.Flush(); // what this node logged so far is in the file
        var query = http.Request.Query;
        var after = long.TryParse(query["after"].ToString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var a) && a > 0 ? a : 0;
        if (!Directory.Exists(file.Directory)) return Answer(new LogTail([], 0, after));
        long? limit = null;
        if (query["limit"].ToString() is { Length: > 0 } text)
        {
            if (!long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l))
                return JsonResponses.Error(400, "invalid limit: must be a positive integer");
            if (l <= 0) return JsonResponses.Error(400, "invalid limit: must be greater than zero");
            limit = l;
        }
        try
        {
            return Answer(await Task.Run(() => LogTailReader.Read(file.Directory, after, limit, time.LocalTimeZone), http.RequestAborted));
        }
        catch (LogReadException e)
        {
            return JsonResponses.Error(500, e.Message);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return JsonResponses.Error(500, $"failed to list log files: {e.Message}");
        }
    }

    private static async Task<IResult> Delete(ConfigSnapshotCache configs, MainLogFile file)
    {
        if (!(await configs.GetAsync()).Settings.LoggingToFile) return JsonResponses.Error(400, "logging to file disabled");
        if (!Directory.Exists(file.Directory)) return JsonResponses.Error(404, "log directory not found");
        file.SetEnabled(true);
        var result = file.Clear();
        return result.Error is { } error
            ? JsonResponses.Error(500, error)
            : JsonResponses.Json(new JsonObject { ["message"] = "Logs cleared successfully", ["removed"] = result.Removed, ["success"] = true });
    }

    private static IResult Answer(LogTail tail) => JsonResponses.Json(new JsonObject
    {
        ["latest-timestamp"] = tail.LatestTimestamp,
        ["line-count"] = tail.LineCount,
        ["lines"] = new JsonArray(tail.Lines.Select(l => (JsonNode?)JsonValue.Create(l)).ToArray()),
    });
}
