namespace CliProxy.Domain.Proxy.Activity;

/// <summary>One bucket's counts of a credential's attempts.</summary>
/// <param name="Bucket">The bucket (<see cref="RecentRequestWindow.BucketOf"/>).</param>
/// <param name="Success">Attempts the upstream answered with 2xx.</param>
/// <param name="Failed">Attempts that failed (any other status, or broken midway).</param>
public readonly record struct ActivityCount(long Bucket, long Success, long Failed);

/// <summary>A credential's totals and its counts per bucket of the window, oldest bucket first.</summary>
/// <param name="CredentialId">The credential's id (<c>UpstreamCredential.Id</c>: auth file name or config list entry).</param>
/// <param name="Success">Successful attempts since the ledger began.</param>
/// <param name="Failed">Failed attempts since the ledger began.</param>
/// <param name="Recent">The non-empty buckets still in the window, oldest first.</param>
public sealed record CredentialActivity(string CredentialId, long Success, long Failed, IReadOnlyList<ActivityCount> Recent)
{
    /// <summary>
    /// The window ending with <paramref name="current"/> as <see cref="RecentRequestWindow.BucketCount"/> entries, oldest
    /// first, an empty bucket as zeros (the reference's <c>recent_requests</c>).
    /// </summary>
    public IReadOnlyList<ActivityCount> Window(long current)
    {
        var window = new ActivityCount[RecentRequestWindow.BucketCount];
        for (var i = 0; i < window.Length; i++) window[i] = new ActivityCount(current - (window.Length - 1) + i, 0, 0);
        foreach (var count in Recent)
            if (RecentRequestWindow.InWindow(count.Bucket, current))
                window[count.Bucket - current + window.Length - 1] = count;
        return window;
    }
}

/// <summary>
/// Counts of attempts per credential: totals, and per bucket of the recent window (older buckets are dropped as counts
/// arrive and when read). Not thread-safe: its owner (a grain) serialises the calls.
/// </summary>
public sealed class CredentialActivityLedger
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>Adds <paramref name="count"/> for <paramref name="credentialId"/>; a bucket outside the window ending with <paramref name="current"/> counts in the totals only.</summary>
    public void Add(string credentialId, ActivityCount count, long current)
    {
        if (!_entries.TryGetValue(credentialId, out var entry)) _entries[credentialId] = entry = new Entry();
        entry.Success += count.Success;
        entry.Failed += count.Failed;
        entry.Buckets.RemoveAll(b => !RecentRequestWindow.InWindow(b.Bucket, current));
        if (!RecentRequestWindow.InWindow(count.Bucket, current)) return;
        var at = entry.Buckets.FindIndex(b => b.Bucket == count.Bucket);
        if (at < 0)
        {
            entry.Buckets.Add(count);
            entry.Buckets.Sort((a, b) => a.Bucket.CompareTo(b.Bucket));
        }
        else
        {
            var b = entry.Buckets[at];
            entry.Buckets[at] = b with { Success = b.Success + count.Success, Failed = b.Failed + count.Failed };
        }
    }

    /// <summary>Every credential counted so far, with the buckets still in the window ending with <paramref name="current"/>.</summary>
    public IReadOnlyList<CredentialActivity> Read(long current) =>
        [.. _entries.Select(e => new CredentialActivity(e.Key, e.Value.Success, e.Value.Failed,
            [.. e.Value.Buckets.Where(b => RecentRequestWindow.InWindow(b.Bucket, current))]))];

    private sealed class Entry
    {
        public long Success;
        public long Failed;
        public readonly List<ActivityCount> Buckets = new(RecentRequestWindow.BucketCount);
    }
}
