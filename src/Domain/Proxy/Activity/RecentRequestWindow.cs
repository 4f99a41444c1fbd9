namespace CliProxy.Domain.Proxy.Activity;

/// <summary>
/// The window of a credential's recent requests, as the reference's <c>GET /api-key-usage</c> and the Management
/// Center's status bars show it: <see cref="BucketCount"/> buckets of <see cref="BucketSeconds"/> seconds (200 minutes),
/// aligned to Unix time, each labelled with its local start and end (<c>"14:20-14:30"</c>).
/// </summary>
public static class RecentRequestWindow
{
    /// <summary>Length of a bucket: 600 s (10 minutes).</summary>
    public const long BucketSeconds = 600;

    /// <summary>Buckets in the window, the current one included: 20.</summary>
    public const int BucketCount = 20;

    /// <summary>The bucket <paramref name="time"/> falls in: whole 10-minute spans since the Unix epoch.</summary>
    public static long BucketOf(DateTimeOffset time) => (long)Math.Floor(time.ToUnixTimeSeconds() / (double)BucketSeconds);

    /// <summary>Whether <paramref name="bucket"/> is still in the window that ends with <paramref name="current"/>.</summary>
    public static bool InWindow(long bucket, long current) => bucket > current - BucketCount && bucket <= current;

    /// <summary>The bucket's label: its start and end in <paramref name="zone"/>, <c>"HH:mm-HH:mm"</c>.</summary>
    public static string Label(long bucket, TimeZoneInfo zone)
    {
        var start = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(bucket * BucketSeconds), zone);
        var end = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds((bucket + 1) * BucketSeconds), zone);
        return $"{start:HH\\:mm}-{end:HH\\:mm}";
    }
}
