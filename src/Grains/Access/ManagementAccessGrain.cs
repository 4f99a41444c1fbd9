using CliProxy.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using CliProxy.Abstractions.Access;
using CliProxy.Grains.Storage;
using Orleans.Storage;

namespace CliProxy.Grains.Access;

/// <summary>
/// Failed attempts and bans of one client address. Corrections of the reference: failures
/// expire when none happened for <see cref="FailureWindow"/> (the reference forgot them only
/// after two idle hours), the record is shared by every gateway and survives restarts, and
/// loopback clients are counted like everyone else.
/// </summary>
public sealed class ManagementAccessGrain(
    [PersistentState("management-access", StorageNames.State)] IPersistentState<ManagementAccessState> state,
    [FromKeyedServices(GrainServiceKeys.Clock)] TimeProvider time) : Grain, IManagementAccessGrain
{
    /// <summary>Failures that trigger a ban.</summary>
    public const int MaxFailures = 5;

    /// <summary>Length of a ban.</summary>
    public static readonly TimeSpan BanDuration = TimeSpan.FromMinutes(30);

    /// <summary>Failures older than this (counted from the latest one) are forgotten.</summary>
    public static readonly TimeSpan FailureWindow = TimeSpan.FromMinutes(30);

    private string Address => ManagementAccessKeys.AddressOf(this.GetPrimaryKeyString());

    /// <inheritdoc />
    public Task<AccessStatus> GetStatus() => Task.FromResult(Status());

    /// <inheritdoc />
    public async Task<AccessStatus> RecordFailure()
    {
        await Change(s =>
        {
            var now = time.GetUtcNow();
            var (failures, bannedUntil) = Status(s, now);
            failures++;
            return failures >= MaxFailures
                ? new ManagementAccessState { Failures = 0, BannedUntil = now + BanDuration, LastFailure = now }
                : new ManagementAccessState { Failures = failures, BannedUntil = bannedUntil, LastFailure = now };
        });
        return await Announce();
    }

    /// <inheritdoc />
    public async Task RecordSuccess()
    {
        var changed = await Change(s => s.Failures == 0 && s.BannedUntil is null
            ? null
            : new ManagementAccessState { Failures = 0, BannedUntil = null, LastFailure = s.LastFailure });
        if (changed) await Announce();
    }

    /// <summary>
    /// Computes the new record from the current one (null: nothing to change) and stores it; the
    /// in-memory record changes only once the write succeeded. After a conflicting write (a
    /// failover can briefly leave two activations) it re-reads and recomputes once.
    /// </summary>
    private async Task<bool> Change(Func<ManagementAccessState, ManagementAccessState?> change)
    {
        for (var attempt = 0; ; attempt++)
        {
            if (change(state.State) is not { } next) return attempt > 0;
            try
            {
                await state.StoreAsync(next);
                return true;
            }
            catch (InconsistentStateException) when (attempt == 0)
            {
                await state.ReadStateAsync();
            }
        }
    }

    /// <summary>Publishes the record to every gateway and returns it.</summary>
    private async Task<AccessStatus> Announce()
    {
        var status = Status();
        await GrainFactory.GetGrain<IManagementAccessFeedGrain>(ManagementAccessKeys.Feed).Publish(Address, status);
        return status;
    }

    /// <summary>The record as of now: an expired ban and failures outside the window no longer count.</summary>
    private AccessStatus Status() => Status(state.State, time.GetUtcNow());

    private static AccessStatus Status(ManagementAccessState s, DateTimeOffset now)
    {
        var banned = s.BannedUntil is { } until && until > now ? s.BannedUntil : null;
        var failures = s.LastFailure is { } last && now - last > FailureWindow ? 0 : s.Failures;
        return new AccessStatus(failures, banned);
    }
}

/// <summary>Persisted failure record of one client address.</summary>
[GenerateSerializer]
public sealed class ManagementAccessState
{
    /// <summary>Failures counted since the last reset.</summary>
    [Id(0)] public int Failures { get; set; }

    /// <summary>End of the current ban, or null.</summary>
    [Id(1)] public DateTimeOffset? BannedUntil { get; set; }

    /// <summary>Time of the latest failure, or null.</summary>
    [Id(2)] public DateTimeOffset? LastFailure { get; set; }
}
