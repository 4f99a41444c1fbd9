using System.Collections.Immutable;

namespace CliProxy.Abstractions.OAuth;

/// <summary>Where a session stands.</summary>
public enum OAuthPhase
{
    /// <summary>No such session: never started, expired, or cancelled.</summary>
    Unknown = 0,

    /// <summary>Waiting for the callback or device approval, or finishing after it.</summary>
    Pending = 1,

    /// <summary>Failed; the message says why.</summary>
    Error = 2,

    /// <summary>The credential was saved (a tombstone kept for status polls).</summary>
    Completed = 3,
}

/// <summary>Why a session call was refused (given its refusal kind and words in one place, the gateway's <c>OAuthAnswers</c>).</summary>
public enum OAuthRefusal
{
    /// <summary>Not refused.</summary>
    None = 0,

    /// <summary>No session for the state (never existed, expired or cancelled).</summary>
    UnknownState,

    /// <summary>The session failed already, or its callback was received already.</summary>
    NotPending,

    /// <summary>The session completed already.</summary>
    AlreadyCompleted,

    /// <summary>The callback names another provider than the session's.</summary>
    ProviderMismatch,

    /// <summary>A session with this state exists already.</summary>
    StateInUse,

    /// <summary>No login flow for the provider.</summary>
    UnsupportedProvider,

    /// <summary>A start step failed (message in the result); no session was registered.</summary>
    StartFailed,

    /// <summary>The session could not be stored.</summary>
    StorageFailed,
}

/// <summary>A request to start a login.</summary>
/// <param name="Provider">The session provider (<c>CliProxy.Domain.OAuth.OAuthProviders</c>).</param>
/// <param name="ProxyUrl">The outbound proxy of upstream calls (config <c>proxy-url</c>; "" for none).</param>
/// <param name="Options">Flow options from the start route's query (e.g. Gemini's <c>project_id</c>).</param>
[GenerateSerializer, Immutable]
public sealed record OAuthStartRequest(
    [property: Id(0)] string Provider,
    [property: Id(1)] string ProxyUrl,
    [property: Id(2)] ImmutableDictionary<string, string> Options);

/// <summary>Outcome of <see cref="IOAuthSessionGrain.Start"/>.</summary>
/// <param name="Refusal"><see cref="OAuthRefusal.None"/> when the session was registered.</param>
/// <param name="Error">The message of a refusal (e.g. <c>failed to generate authorization url</c>).</param>
/// <param name="Url">The authorize or verification URL.</param>
/// <param name="Fields">Extra answer fields as JSON texts by name (device flows: <c>user_code</c>, <c>expires_in</c>, …).</param>
[GenerateSerializer, Immutable]
public sealed record OAuthStartResult(
    [property: Id(0)] OAuthRefusal Refusal,
    [property: Id(1)] string? Error,
    [property: Id(2)] string Url,
    [property: Id(3)] ImmutableDictionary<string, string> Fields)
{
    /// <summary>A refusal.</summary>
    public static OAuthStartResult Refused(OAuthRefusal refusal, string error) => new(refusal, error, "", ImmutableDictionary<string, string>.Empty);
}

/// <summary>The provider's redirect for a session.</summary>
/// <param name="Provider">The canonical provider named with it, or null to accept the session's.</param>
/// <param name="Code">The authorization code ("" when the provider sent an error).</param>
/// <param name="Error">The provider's error ("" when none).</param>
[GenerateSerializer, Immutable]
public sealed record OAuthCallback([property: Id(0)] string? Provider, [property: Id(1)] string Code, [property: Id(2)] string Error);

/// <summary>A session's status.</summary>
/// <param name="Phase">Where it stands.</param>
/// <param name="Message">The error message (<see cref="OAuthPhase.Error"/>); "" otherwise.</param>
[GenerateSerializer, Immutable]
public sealed record OAuthSessionStatus([property: Id(0)] OAuthPhase Phase, [property: Id(1)] string Message)
{
    /// <summary>No such session.</summary>
    public static OAuthSessionStatus Unknown { get; } = new(OAuthPhase.Unknown, "");
}
