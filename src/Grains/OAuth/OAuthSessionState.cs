using CliProxy.Abstractions.OAuth;

namespace CliProxy.Grains.OAuth;

/// <summary>Persisted state of one login session (see <see cref="OAuthSessionGrain"/>); a default instance means no session.</summary>
public sealed class OAuthSessionState
{
    /// <summary>The session provider.</summary>
    public string Provider { get; set; } = "";

    /// <summary>Where it stands (<see cref="OAuthPhase.Unknown"/>: no session).</summary>
    public OAuthPhase Phase { get; set; }

    /// <summary>The error message of a failed session.</summary>
    public string Message { get; set; } = "";

    /// <summary>When it started.</summary>
    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Until when the user may finish (callback or device approval); a pending session without a callback by then has timed out.</summary>
    public DateTimeOffset Deadline { get; set; }

    /// <summary>When the session is forgotten (then its state is unknown).</summary>
    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The outbound proxy of its upstream calls ("" for none).</summary>
    public string ProxyUrl { get; set; } = "";

    /// <summary>The flow's own values (PKCE verifier, …); cleared when the session ends.</summary>
    public Dictionary<string, string> Data { get; set; } = [];

    /// <summary>The accepted redirect's code, once received (the login is being finished).</summary>
    public string? CallbackCode { get; set; }

    /// <summary>The accepted redirect's error ("" when none).</summary>
    public string CallbackError { get; set; } = "";

    /// <summary>The credential file written by a completed session.</summary>
    public string FileName { get; set; } = "";
}
