using CliProxy.Abstractions.OAuth;

namespace CliProxy.Gateway.Logins;

/// <summary>Tells whether a login still waits (what decides that a callback forwarder is idle).</summary>
public interface ILoginProbe
{
    /// <summary>True while the session of <paramref name="state"/> is pending.</summary>
    Task<bool> IsPendingAsync(string state, CancellationToken cancellationToken);
}

/// <summary>Asks the session grain of the state.</summary>
public sealed class SessionGrainProbe(IGrainFactory grains) : ILoginProbe
{
    /// <inheritdoc />
    public async Task<bool> IsPendingAsync(string state, CancellationToken cancellationToken) =>
        (await grains.GetGrain<IOAuthSessionGrain>(OAuthSessionKeys.For(state)).GetStatus().WaitAsync(cancellationToken)).Phase == OAuthPhase.Pending;
}
