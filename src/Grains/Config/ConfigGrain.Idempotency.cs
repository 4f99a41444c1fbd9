using CliProxy.Abstractions.Config;
using CliProxy.Abstractions.Idempotency;
using CliProxy.Domain.Config.Resources;
using CliProxy.Domain.Errors;
using CliProxy.Grains.Idempotency;
using Microsoft.Extensions.Logging;

namespace CliProxy.Grains.Config;

/// <summary>
/// The config grain's part of <c>Idempotency-Key</c> handling. A change made under a key is recorded
/// in the grain's stored state by the same write that stores the change, so when the silo dies after
/// the write but before its answer got back (the caller never learned the outcome),
/// the retry with the same key finds the key — on any activation, after any restart — and is accepted
/// without being applied a second time. The gateway's per-key answers (<c>IIdempotencyGrain</c>)
/// cannot cover that case: it is exactly the outcome they never saw.
/// </summary>
public sealed partial class ConfigGrain
{
    /// <summary>The stored record, for a batch being built now.</summary>
    private AppliedRequests AppliedLedger() => new(state.State.AppliedRequests, time.GetUtcNow());

    /// <summary>The line logged when a change arrives again with the key of an applied change.</summary>
    public const string AppliedAgainLog = "A change arrived again with the Idempotency-Key of an applied change; answered without applying it again";

    /// <summary>The answer for an edit whose key is already recorded (accepted without changes, or <see cref="Refusals.IdempotencyKeyReused"/>), else null.</summary>
    private EditOutcome? Replay(AppliedRequests requests, IdempotencyToken? key) => Found(requests, key) switch
    {
        AppliedMatch.Applied => EditOutcome.Ok(),
        AppliedMatch.Mismatch => EditOutcome.Refused(Refusals.IdempotencyKeyReused),
        _ => null,
    };

    /// <summary>The answer for a whole-document replacement whose key is already recorded, else null.</summary>
    private ConfigEditResult? ReplayReplace(IdempotencyToken? key) => Found(AppliedLedger(), key) switch
    {
        AppliedMatch.Applied => ConfigEditResult.Accepted(_snapshot),
        AppliedMatch.Mismatch => ConfigEditResult.Refused(Refusals.IdempotencyKeyReusedForDocument),
        _ => null,
    };

    private AppliedMatch Found(AppliedRequests requests, IdempotencyToken? key)
    {
        var match = requests.Find(key);
        if (match == AppliedMatch.Applied) logger.LogInformation(AppliedAgainLog);
        return match;
    }
}
