namespace CliProxy.Abstractions.Idempotency;

/// <summary>
/// A management write's <c>Idempotency-Key</c> as the grains see it. The header value itself is never
/// stored: <see cref="Key"/> is a hash of it and of the client's management identity.
/// </summary>
/// <param name="Key">32 lower-case hex digits: the first 128 bits of SHA-256 over the management
/// identity and the header value (see the gateway's <c>IdempotencyRequest</c>).</param>
/// <param name="Fingerprint">32 lower-case hex digits: the first 128 bits of SHA-256 over the method,
/// path, query and body; a key sent again with another fingerprint is a different request (422).</param>
/// <param name="Assigned">True for a key the gateway gave a write that came without a header (<see cref="Assign"/>):
/// it only makes the gateway's own resend of that write safe, so it is remembered for
/// <see cref="IdempotencyLimits.AssignedRetention"/> instead of <see cref="IdempotencyLimits.Retention"/>.</param>
[GenerateSerializer, Immutable]
public sealed record IdempotencyToken([property: Id(0)] string Key, [property: Id(1)] string Fingerprint, [property: Id(2)] bool Assigned = false)
{
    /// <summary>
    /// A new key for a write without an <c>Idempotency-Key</c> header: 128 random bits as key and
    /// fingerprint, so no other request can match it. With it the grain call may be sent again after
    /// its answer was lost (a silo stopped between running the change and answering) and the change is
    /// still applied once.
    /// </summary>
    public static IdempotencyToken Assign()
    {
        var key = Guid.NewGuid().ToString("N");
        return new IdempotencyToken(key, key, Assigned: true);
    }
}

/// <summary>A change the config grain applied under an <c>Idempotency-Key</c>; kept in its stored state.</summary>
[GenerateSerializer]
public sealed class AppliedRequest
{
    /// <summary><see cref="IdempotencyToken.Key"/>.</summary>
    [Id(0)] public string Key { get; set; } = "";

    /// <summary><see cref="IdempotencyToken.Fingerprint"/>.</summary>
    [Id(1)] public string Fingerprint { get; set; } = "";

    /// <summary>When the record lapses: Unix time in milliseconds (24 h after the change was stored).</summary>
    [Id(2)] public long ExpiresAt { get; set; }

    /// <summary>
    /// <see cref="IdempotencyToken.Assigned"/>: a key the gateway gave an edit sent without one. Such a
    /// record only serves resends by that gateway within minutes, so the embedded mode keeps it in memory
    /// and does not write it to its records file.
    /// </summary>
    [Id(3)] public bool Assigned { get; set; }
}

/// <summary>Limits of the idempotency records (README, "Idempotency-Key").</summary>
public static class IdempotencyLimits
{
    /// <summary>How long a key is remembered, from the first time its request was seen.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromHours(24);

    /// <summary>
    /// How long the config grain remembers a key the gateway assigned (<see cref="IdempotencyToken.Assigned"/>):
    /// longer than two attempts of one call (2 × 10 s response timeout plus back-off), short enough that
    /// a busy writer does not fill the record with them.
    /// </summary>
    public static readonly TimeSpan AssignedRetention = TimeSpan.FromMinutes(2);

    /// <summary>Longest accepted header value (printable ASCII).</summary>
    public const int MaxKeyLength = 255;

    /// <summary>Applied changes the config grain remembers (oldest forgotten first).</summary>
    public const int MaxAppliedRequests = 1000;

    /// <summary>Number of <see cref="IIdempotencyGrain"/> shards.</summary>
    public const int Shards = 256;

    /// <summary>Answers one shard remembers (oldest forgotten first): 256 × 512 = 131,072 keys in all.</summary>
    public const int MaxResponsesPerShard = 512;

    /// <summary>Largest answer body that is remembered; a larger answer is not kept (its key is released).</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>Body bytes one shard keeps in all (oldest forgotten first).</summary>
    public const int MaxShardBodyBytes = 1024 * 1024;

    /// <summary>
    /// How long a request holds its key while it runs; after that (its gateway died) a retry may run it.
    /// Longer than a grain call can take (30 s response timeout, retried once).
    /// </summary>
    public static readonly TimeSpan InFlightLease = TimeSpan.FromSeconds(90);

    /// <summary>Key of the shard grain that holds <paramref name="token"/>'s answer.</summary>
    public static string ShardOf(IdempotencyToken token) => ShardPrefix + token.Key[..2];

    /// <summary>Prefix of shard keys (so that no key parses as a number in the ADO.NET storage).</summary>
    public const string ShardPrefix = "idempotency:";
}
