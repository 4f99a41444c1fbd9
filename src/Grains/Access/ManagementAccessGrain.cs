using CliProxy.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using CliProxy.Abstractions.Access;

namespace CliProxy.Grains.Access;

/// <summary>
/// Failed attempts and bans of one client address (spec §3.4). Corrections (defect 8): failures
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
            (s.Failures, s.BannedUntil) = Status(s, now);
            s.Failures++;
            s.LastFailure = now;
            if (s.Failures >= MaxFailures)
            {
                s.BannedUntil = now + BanDuration;
                s.Failures = 0;
            }
            return true;
        });
        return await Announce();
    }

    /// <inheritdoc />
    public async Task RecordSuccess()
    {
        var changed = await Change(s =>
        {
            if (s.Failures == 0 && s.BannedUntil is null) return false;
            s.Failures = 0;
            s.BannedUntil = null;
            return true;
        });
        if (changed) await Announce();
    }

    /// <summary>Applies and stores a change; after a conflicting write (a failover can briefly leave two activations) re-reads and re-applies it.</summary>
    private async Task<bool> Change(Func<ManagementAccessState, bool> change)
    {
        if (!change(state.State)) return false;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Orleans.Storage.InconsistentStateException)
        {
            await state.ReadStateAsync();
            if (!change(state.State)) return true;
            await state.WriteStateAsync();
        }
        return true;
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
