using CliProxy.Abstractions.Calls;
using Orleans.Concurrency;

namespace CliProxy.Abstractions.Access;

/// <summary>
/// Failed management logins and bans of one client address,
/// keyed by <see cref="ManagementAccessKeys.For"/>. Being a grain, a ban earned through one
/// gateway holds on every gateway, and survives restarts.
/// </summary>
public interface IManagementAccessGrain : IGrainWithStringKey
{
    /// <summary>
    /// Current status (read-only): an expired ban or failures outside the window no longer count. Every
    /// management request whose address has no fresh copy on its node asks it, so it is resent like a read.
    /// </summary>
    [AlwaysInterleave, RetrySafe]
    Task<AccessStatus> GetStatus();

    /// <summary>Counts one failed attempt; the 5th within the failure window bans the address for 30 minutes. Resent only when it certainly did not run.</summary>
    [ResendWhenNotDelivered]
    Task<AccessStatus> RecordFailure();

    /// <summary>Clears failures and ban after a successful login (twice is harmless, so it is resent like a read).</summary>
    [RetrySafe]
    Task RecordSuccess();
}

/// <summary>Status of one client address.</summary>
/// <param name="Failures">Failed attempts counted (reset by a ban or a success).</param>
/// <param name="BannedUntil">End of the current ban, or null.</param>
[GenerateSerializer, Immutable]
public sealed record AccessStatus([property: Id(0)] int Failures, [property: Id(1)] DateTimeOffset? BannedUntil);

/// <summary>Keys of <see cref="IManagementAccessGrain"/>.</summary>
public static class ManagementAccessKeys
{
    /// <summary>
    /// Key for a client address. Prefixed so that no address parses as a number: Orleans' ADO.NET
    /// storage treats a string key that parses as an integer as an integer key.
    /// </summary>
    public static string For(string address) => Prefix + address;

    /// <summary>The client address of key <paramref name="key"/> (the inverse of <see cref="For"/>).</summary>
    public static string AddressOf(string key) => key[Prefix.Length..];

    private const string Prefix = "ip:";

    /// <summary>Key of the one <see cref="IManagementAccessFeedGrain"/>.</summary>
    public const string Feed = "access-feed";
}
