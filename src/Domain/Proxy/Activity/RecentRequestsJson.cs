using System.Text.Json;

namespace CliProxy.Domain.Proxy.Activity;

/// <summary>
/// A credential's attempt counts as the reference writes them into an object of <c>GET /api-key-usage</c> and of
/// <c>GET /auth-files</c>: <c>"success": n, "failed": n, "recent_requests": [{"time": "HH:mm-HH:mm", "success": n,
/// "failed": n}, …]</c>, the window's 20 buckets oldest first (<see cref="CredentialActivity.Window"/>).
/// </summary>
public static class RecentRequestsJson
{
    /// <summary>Writes the three properties into the open object of <paramref name="w"/>; no counts write zeros.</summary>
    /// <param name="w">The writer, inside an object.</param>
    /// <param name="activity">The credential's counts, or null when it has none.</param>
    /// <param name="current">The window's newest bucket.</param>
    /// <param name="zone">The zone of the labels.</param>
    public static void WriteCounts(Utf8JsonWriter w, CredentialActivity? activity, long current, TimeZoneInfo zone)
    {
        w.WriteNumber("success", activity?.Success ?? 0);
        w.WriteNumber("failed", activity?.Failed ?? 0);
        w.WriteStartArray("recent_requests");
        foreach (var bucket in (activity ?? new CredentialActivity("", 0, 0, [])).Window(current))
        {
            w.WriteStartObject();
            w.WriteString("time", RecentRequestWindow.Label(bucket.Bucket, zone));
            w.WriteNumber("success", bucket.Success);
            w.WriteNumber("failed", bucket.Failed);
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }
}
