namespace CliProxy.Gateway.Logins;

/// <summary>What <see cref="CallbackForwarders.OpenAsync"/> did for one login.</summary>
/// <param name="Port">The provider's callback port (0 when it has none).</param>
/// <param name="Error">Why no forwarder listens for the login (best effort: the login runs anyway, and the
/// pasted redirect still completes it); null when one listens.</param>
public sealed record ForwarderOpening(int Port, string? Error)
{
    /// <summary>True when a forwarder listens on <see cref="Port"/> for the login.</summary>
    public bool Listening => Error is null;

    /// <summary>The note a start answer carries when no forwarder listens.</summary>
    public string Note => $"callback forwarder unavailable: {Error}; paste the browser's redirect URL into POST /oauth-callback";
}
