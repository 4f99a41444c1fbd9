using CliProxy.Abstractions.Idempotency;
using CliProxy.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Storage;

namespace CliProxy.Grains.Idempotency;

/// <summary>
/// One shard of the stored answers of requests with an <c>Idempotency-Key</c> (see
/// <see cref="IIdempotencyGrain"/>). Answers are stored, oldest first, at most
/// <see cref="IdempotencyLimits.MaxResponsesPerShard"/> of them and
/// <see cref="IdempotencyLimits.MaxShardBodyBytes"/> of bodies; an expired answer no longer counts
/// and is dropped by the shard's next write. Claims of running requests live only in this
/// activation: when its silo dies they are gone, which at worst lets a retry run while the first
/// attempt still runs — the config grain's own record still applies a change only once.
/// </summary>
public sealed class IdempotencyGrain(
    [PersistentState("idempotency", StorageNames.State)] IPersistentState<IdempotencyShardState> state,
    [FromKeyedServices(GrainServiceKeys.Clock)] TimeProvider time) : Grain, IIdempotencyGrain
{
    private readonly Dictionary<string, Claim> _claims = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public Task<IdempotencyClaim> Begin(IdempotencyToken token, Guid attempt)
    {
        var now = time.GetUtcNow();
        if (Find(state.State, token.Key, now) is { } answer)
        {
            return Task.FromResult(answer.Fingerprint == token.Fingerprint
                ? new IdempotencyClaim(IdempotencyDecision.Replay, new IdempotentResponse(answer.Status, answer.ContentType, answer.Body))
                : new IdempotencyClaim(IdempotencyDecision.Mismatch));
        }
        if (_claims.TryGetValue(token.Key, out var claim) && claim.Attempt != attempt && now - claim.Since < IdempotencyLimits.InFlightLease)
            return Task.FromResult(new IdempotencyClaim(claim.Fingerprint == token.Fingerprint ? IdempotencyDecision.InProgress : IdempotencyDecision.Mismatch));
        if (claim is null || claim.Attempt != attempt) _claims[token.Key] = new Claim(token.Fingerprint, attempt, now);
        return Task.FromResult(new IdempotencyClaim(IdempotencyDecision.Proceed));
    }

    /// <inheritdoc />
    public async Task Complete(IdempotencyToken token, Guid attempt, IdempotentResponse response)
    {
        Release(token.Key, attempt);
        if (response.Body.Length > IdempotencyLimits.MaxBodyBytes) return;
        var answer = new StoredAnswer
        {
            Key = token.Key, Fingerprint = token.Fingerprint, Status = response.Status, ContentType = response.ContentType, Body = response.Body,
        };
        try
        {
            await Store(answer);
        }
        catch (InconsistentStateException)
        {
            // Another activation wrote meanwhile (possible for a moment during a failover): read its answers and store again.
            await state.ReadStateAsync();
            await Store(answer);
        }
    }

    /// <inheritdoc />
    public Task Release(IdempotencyToken token, Guid attempt)
    {
        Release(token.Key, attempt);
        return Task.CompletedTask;
    }

    private void Release(string key, Guid attempt)
    {
        if (_claims.TryGetValue(key, out var claim) && claim.Attempt == attempt) _claims.Remove(key);
    }

    /// <summary>Stores <paramref name="answer"/> unless the key already has one (the first answer wins).</summary>
    private async Task Store(StoredAnswer answer)
    {
        var now = time.GetUtcNow();
        if (Find(state.State, answer.Key, now) is not null) return;
        answer.ExpiresAt = (now + IdempotencyLimits.Retention).ToUnixTimeMilliseconds();
        var previous = state.State;
        state.State = new IdempotencyShardState { Answers = Bounded(previous.Answers, answer, now) };
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }
    }

    /// <summary>The live answers plus <paramref name="added"/>, the oldest dropped until the shard's limits hold.</summary>
    public static List<StoredAnswer> Bounded(IEnumerable<StoredAnswer> answers, StoredAnswer added, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        var next = answers.Where(a => a.ExpiresAt > nowMs).Append(added).ToList();
        var bytes = next.Sum(a => (long)a.Body.Length);
        var drop = 0;
        while (next.Count - drop > IdempotencyLimits.MaxResponsesPerShard || bytes > IdempotencyLimits.MaxShardBodyBytes)
            bytes -= next[drop++].Body.Length;
        next.RemoveRange(0, drop);
        return next;
    }

    private static StoredAnswer? Find(IdempotencyShardState shard, string key, DateTimeOffset now)
    {
        var nowMs = now.ToUnixTimeMilliseconds();
        return shard.Answers.FirstOrDefault(a => a.Key == key && a.ExpiresAt > nowMs);
    }

    private sealed record Claim(string Fingerprint, Guid Attempt, DateTimeOffset Since);
}
