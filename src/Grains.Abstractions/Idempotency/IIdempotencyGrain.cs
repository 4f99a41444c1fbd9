using CliProxy.Abstractions.Calls;

namespace CliProxy.Abstractions.Idempotency;

/// <summary>
/// Answers of management writes sent with an <c>Idempotency-Key</c>, for one shard of the keys
/// (<see cref="IdempotencyLimits.ShardOf"/>), so that a retry on any gateway gets the first answer
/// instead of running the request again. A request first claims its key (<see cref="Begin"/>), runs,
/// and then stores its answer (<see cref="Complete"/>) or gives the key back (<see cref="Release"/>)
/// when the outcome is uncertain or a server error. Answers are stored (they survive restarts) for
/// <see cref="IdempotencyLimits.Retention"/>; claims of running requests live only in the activation.
/// </summary>
public interface IIdempotencyGrain : IGrainWithStringKey
{
    /// <summary>
    /// Claims <paramref name="token"/>'s key for <paramref name="attempt"/>: <see cref="IdempotencyDecision.Proceed"/>
    /// (run the request; also when this attempt already holds the claim), <see cref="IdempotencyDecision.Replay"/>
    /// with the stored answer, <see cref="IdempotencyDecision.InProgress"/> while another attempt holds it, or
    /// <see cref="IdempotencyDecision.Mismatch"/> when the key was used for a request with another fingerprint.
    /// </summary>
    [RetrySafe]
    Task<IdempotencyClaim> Begin(IdempotencyToken token, Guid attempt);

    /// <summary>
    /// Stores <paramref name="response"/> as the answer of <paramref name="token"/>'s key and ends the claim.
    /// An answer already stored for the key is kept (the first one wins); a body over
    /// <see cref="IdempotencyLimits.MaxBodyBytes"/> is not stored (the key is released instead).
    /// </summary>
    [RetrySafe]
    Task Complete(IdempotencyToken token, Guid attempt, IdempotentResponse response);

    /// <summary>
    /// Ends <paramref name="attempt"/>'s claim without an answer, so that a retry runs the request. Not resent:
    /// a claim that was not released lapses by itself after <see cref="IdempotencyLimits.InFlightLease"/>.
    /// </summary>
    Task Release(IdempotencyToken token, Guid attempt);
}

/// <summary>What a request with an <c>Idempotency-Key</c> does next.</summary>
public enum IdempotencyDecision
{
    /// <summary>Run the request (the key is now claimed by this attempt).</summary>
    Proceed,

    /// <summary>Answer with the stored first answer; do not run the request.</summary>
    Replay,

    /// <summary>Another request with this key is still running (the gateway refuses with <c>Refusals.IdempotencyInProgress</c>).</summary>
    InProgress,

    /// <summary>The key was used for a different request (the gateway refuses with <c>Refusals.IdempotencyKeyReused</c>).</summary>
    Mismatch,
}

/// <summary>Result of <see cref="IIdempotencyGrain.Begin"/>.</summary>
/// <param name="Decision">What to do.</param>
/// <param name="Response">The answer to replay (with <see cref="IdempotencyDecision.Replay"/>), else null.</param>
[GenerateSerializer, Immutable]
public sealed record IdempotencyClaim([property: Id(0)] IdempotencyDecision Decision, [property: Id(1)] IdempotentResponse? Response = null);

/// <summary>A stored HTTP answer.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="ContentType">Value of <c>Content-Type</c> ("" when none).</param>
/// <param name="Body">The body bytes.</param>
[GenerateSerializer, Immutable]
public sealed record IdempotentResponse([property: Id(0)] int Status, [property: Id(1)] string ContentType, [property: Id(2)] byte[] Body);

/// <summary>Stored state of one <see cref="IIdempotencyGrain"/> shard.</summary>
[GenerateSerializer]
public sealed class IdempotencyShardState
{
    /// <summary>Stored answers, oldest first.</summary>
    [Id(0)] public List<StoredAnswer> Answers { get; set; } = [];
}

/// <summary>One stored answer of a shard.</summary>
[GenerateSerializer]
public sealed class StoredAnswer
{
    /// <summary><see cref="IdempotencyToken.Key"/>.</summary>
    [Id(0)] public string Key { get; set; } = "";

    /// <summary><see cref="IdempotencyToken.Fingerprint"/>.</summary>
    [Id(1)] public string Fingerprint { get; set; } = "";

    /// <summary>When the answer lapses: Unix time in milliseconds.</summary>
    [Id(2)] public long ExpiresAt { get; set; }

    /// <summary>HTTP status code.</summary>
    [Id(3)] public int Status { get; set; }

    /// <summary>Value of <c>Content-Type</c>.</summary>
    [Id(4)] public string ContentType { get; set; } = "";

    /// <summary>The body (base64 in the JSON row).</summary>
    [Id(5)] public byte[] Body { get; set; } = [];
}
