using CliProxy.Abstractions.Idempotency;

namespace CliProxy.Grains.Idempotency;

/// <summary>What the config grain's record says about a request's <c>Idempotency-Key</c>.</summary>
public enum AppliedMatch
{
    /// <summary>Not seen (or no key): apply the change.</summary>
    None,

    /// <summary>Already applied and stored: answer 200 without applying it again.</summary>
    Applied,

    /// <summary>The key was used for a different request: 422.</summary>
    Mismatch,
}

/// <summary>
/// The keys of the changes the config grain applied (kept in its stored state, so a key travels in
/// the same write as its change): lookups over the stored records plus those of the batch being
/// built, and the bounded list the next write stores. Records lapse after
/// <see cref="IdempotencyLimits.Retention"/>; at most <see cref="IdempotencyLimits.MaxAppliedRequests"/>
/// are kept (oldest forgotten first).
/// </summary>
/// <param name="stored">The records of the stored state.</param>
/// <param name="now">The time of the batch.</param>
public sealed class AppliedRequests(IReadOnlyList<AppliedRequest> stored, DateTimeOffset now)
{
    private readonly Dictionary<string, string> _added = new(StringComparer.Ordinal);

    /// <summary>Keys applied by the batch being built (in order).</summary>
    public List<IdempotencyToken> Added { get; } = [];

    /// <summary>What the record says about <paramref name="token"/> (null: a request without a key).</summary>
    public AppliedMatch Find(IdempotencyToken? token)
    {
        if (token is null) return AppliedMatch.None;
        if (_added.TryGetValue(token.Key, out var fingerprint)) return fingerprint == token.Fingerprint ? AppliedMatch.Applied : AppliedMatch.Mismatch;
        var nowMs = now.ToUnixTimeMilliseconds();
        for (var i = stored.Count - 1; i >= 0; i--)
        {
            var r = stored[i];
            if (r.Key == token.Key && r.ExpiresAt > nowMs) return r.Fingerprint == token.Fingerprint ? AppliedMatch.Applied : AppliedMatch.Mismatch;
        }
        return AppliedMatch.None;
    }

    /// <summary>Records that the change of <paramref name="token"/> was applied in this batch (no-op for null).</summary>
    public void Add(IdempotencyToken? token)
    {
        if (token is null || !_added.TryAdd(token.Key, token.Fingerprint)) return;
        Added.Add(token);
    }

    /// <summary>
    /// The records to store with a write that applied <paramref name="added"/>: <paramref name="current"/>
    /// itself when nothing was added (a write without keys never rewrites the records), else the live
    /// records plus the new ones, bounded to <see cref="IdempotencyLimits.MaxAppliedRequests"/>.
    /// </summary>
    public static List<AppliedRequest> With(List<AppliedRequest> current, IReadOnlyCollection<IdempotencyToken> added, DateTimeOffset now)
    {
        if (added.Count == 0) return current;
        var nowMs = now.ToUnixTimeMilliseconds();
        var next = current.Where(r => r.ExpiresAt > nowMs)
            .Concat(added.Select(t => new AppliedRequest { Key = t.Key, Fingerprint = t.Fingerprint, ExpiresAt = ExpiresAtOf(t, now), Assigned = t.Assigned }))
            .ToList();
        if (next.Count > IdempotencyLimits.MaxAppliedRequests) next.RemoveRange(0, next.Count - IdempotencyLimits.MaxAppliedRequests);
        return next;
    }

    /// <summary>When the record of <paramref name="token"/>, applied at <paramref name="now"/>, lapses (Unix ms).</summary>
    private static long ExpiresAtOf(IdempotencyToken token, DateTimeOffset now) =>
        (now + (token.Assigned ? IdempotencyLimits.AssignedRetention : IdempotencyLimits.Retention)).ToUnixTimeMilliseconds();
}
