using CliProxy.Abstractions.Calls;
using Orleans.Concurrency;

namespace CliProxy.Abstractions.OAuth;

/// <summary>
/// One login in progress, keyed by its random state (<see cref="OAuthSessionKeys.For"/>): the
/// provider, the flow's secrets (PKCE verifier, device code), its status and expiry. Persisted, so a
/// login survives the loss of the silo that held it; expiry and clean-up are driven by a durable
/// reminder. Any node can start, complete, report or cancel it; completing one login never touches
/// another.
/// </summary>
public interface IOAuthSessionGrain : IGrainWithStringKey
{
    /// <summary>
    /// Runs the provider's start steps (PKCE, authorize URL, device request) and registers the
    /// session only when all of them succeeded; nothing is kept after a refusal.
    /// </summary>
    [ResendWhenNotDelivered]
    Task<OAuthStartResult> Start(OAuthStartRequest request);

    /// <summary>The session's status now: unknown (never existed, expired or cancelled), pending, error or completed.</summary>
    [AlwaysInterleave, RetrySafe]
    Task<OAuthSessionStatus> GetStatus();

    /// <summary>
    /// Accepts the provider's redirect (code or error) for a pending session and starts finishing the
    /// login in the background (token exchange, user info, saving); refused for an unknown, finished or
    /// already answered session, or one of another provider.
    /// </summary>
    [ResendWhenNotDelivered]
    Task<OAuthRefusal> SubmitCallback(OAuthCallback callback);

    /// <summary>The status once the session is no longer pending, or after <paramref name="max"/> (whichever comes first).</summary>
    [AlwaysInterleave, RetrySafe]
    Task<OAuthSessionStatus> WaitForOutcome(TimeSpan max);

    /// <summary>Cancels a pending session and stops its work; false when it was not pending.</summary>
    [RetrySafe]
    Task<bool> Cancel();
}

/// <summary>Keys of the session grains.</summary>
public static class OAuthSessionKeys
{
    /// <summary>
    /// The key of <paramref name="state"/> (already validated): prefixed, so that a hex state is not
    /// taken for a Guid or integer key by Orleans' ADO.NET storage.
    /// </summary>
    public static string For(string state) => "oauth:" + state;
}
