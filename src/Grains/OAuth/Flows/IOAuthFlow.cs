using System.Collections.Immutable;
using CliProxy.Domain.OAuth;
using CliProxy.Domain.OAuth.Credentials;

namespace CliProxy.Grains.OAuth.Flows;

/// <summary>
/// One provider's login flow: the extension point of the logins. A flow is stateless (a singleton);
/// everything of one login is in its <see cref="OAuthFlowContext"/>, whose <see cref="OAuthFlowContext.Data"/>
/// the session grain persists. A flow implements <see cref="IOAuthRedirectFlow"/> (the browser comes back
/// with a code) or <see cref="IOAuthPollingFlow"/> (device code: the grain polls), and is registered with
/// <c>services.AddSingleton&lt;IOAuthFlow, MyFlow&gt;()</c>; <see cref="OAuthFlowRegistry"/> finds it by
/// <see cref="Provider"/>. Failures are reported by throwing <see cref="OAuthLoginFailure"/> with the
/// message the session records (or <see cref="MissingIdentityException"/> from a credential builder).
/// </summary>
public interface IOAuthFlow
{
    /// <summary>The session provider (<see cref="OAuthProviders"/>).</summary>
    string Provider { get; }

    /// <summary>The error recorded when the user did not finish in time (e.g. <c>Timeout waiting for OAuth callback</c>).</summary>
    string TimeoutMessage { get; }

    /// <summary>The error recorded when the credential could not be stored.</summary>
    string SaveFailedMessage { get; }

    /// <summary>
    /// The start steps: PKCE, the authorize URL, a device request. Secrets the later steps need go into
    /// <see cref="OAuthFlowContext.Data"/>. Nothing is registered unless this returns.
    /// </summary>
    /// <param name="context">The login.</param>
    /// <param name="options">Options from the start route's query (e.g. <c>project_id</c>).</param>
    /// <param name="cancellationToken">Bounds the start.</param>
    /// <exception cref="OAuthLoginFailure">A start step failed; its message is the start route's 500 error.</exception>
    Task<OAuthFlowStart> StartAsync(OAuthFlowContext context, ImmutableDictionary<string, string> options, CancellationToken cancellationToken);
}

/// <summary>A flow finished by the provider's redirect (authorization code).</summary>
public interface IOAuthRedirectFlow : IOAuthFlow
{
    /// <summary>
    /// Finishes the login from the redirect: checks the provider's <paramref name="error"/>, exchanges
    /// <paramref name="code"/>, reads the identity and runs follow-up calls, and builds the credential.
    /// </summary>
    /// <exception cref="OAuthLoginFailure">The login failed; the message is recorded as the session's error.</exception>
    /// <exception cref="MissingIdentityException">The answers lack the identity the file name needs.</exception>
    Task<LoginCredential> CompleteAsync(OAuthFlowContext context, string code, string error, CancellationToken cancellationToken);
}

/// <summary>A flow finished by polling the provider (device code), from the session grain, bounded by the session's deadline.</summary>
public interface IOAuthPollingFlow : IOAuthFlow
{
    /// <summary>One poll: the credential when approved, or how long to wait before the next poll.</summary>
    /// <exception cref="OAuthLoginFailure">Denied, expired or failed; the message is recorded.</exception>
    Task<OAuthPoll> PollAsync(OAuthFlowContext context, CancellationToken cancellationToken);
}

/// <summary>What a start produced.</summary>
/// <param name="Url">The authorize URL (or the device verification URL).</param>
/// <param name="Wait">How long the session waits for the user (null: <see cref="OAuthSettings.CallbackWait"/>; device flows: the code's life).</param>
/// <param name="FirstPoll">Device flows: the wait before the first poll.</param>
/// <param name="Fields">Extra answer fields as JSON texts (e.g. <c>"user_code": "\"ABCD\""</c>).</param>
public sealed record OAuthFlowStart(string Url, TimeSpan? Wait = null, TimeSpan? FirstPoll = null, ImmutableDictionary<string, string>? Fields = null);

/// <summary>The result of one poll of a <see cref="IOAuthPollingFlow"/>.</summary>
/// <param name="Credential">The credential once approved; null while pending.</param>
/// <param name="RetryAfter">While pending: the wait before the next poll.</param>
public sealed record OAuthPoll(LoginCredential? Credential, TimeSpan RetryAfter)
{
    /// <summary>Approved.</summary>
    public static OAuthPoll Done(LoginCredential credential) => new(credential, TimeSpan.Zero);

    /// <summary>Still pending.</summary>
    public static OAuthPoll Wait(TimeSpan retryAfter) => new(null, retryAfter);
}

/// <summary>A failed login step, with the message the session records (or the start route answers).</summary>
/// <param name="message">The message.</param>
/// <param name="inner">The cause, for the log only.</param>
public sealed class OAuthLoginFailure(string message, Exception? inner = null) : Exception(message, inner);
