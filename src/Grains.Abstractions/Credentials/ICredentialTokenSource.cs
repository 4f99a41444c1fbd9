namespace CliProxy.Abstractions.Credentials;

/// <summary>
/// "Give me a valid access token for credential X": the one seam through which callers outside a
/// credential's owner (<c>POST /api-call</c>'s <c>$TOKEN$</c>, spec §3.3) get its token. The first
/// implementation reads the token stored in the auth file; the login work backs it with the
/// credential's single owner, which refreshes an expired token once for every caller.
/// </summary>
public interface ICredentialTokenSource
{
    /// <summary>
    /// The access token of the credential stored as <paramref name="fileName"/>: a token, or why there is
    /// none (<see cref="CredentialTokenProblem.NotFound"/>: the credential holds no token or no longer
    /// exists; <see cref="CredentialTokenProblem.RefreshFailed"/>: a needed refresh failed).
    /// </summary>
    Task<CredentialToken> GetAccessTokenAsync(string fileName, CancellationToken cancellationToken);
}

/// <summary>Answer of <see cref="ICredentialTokenSource"/>: a token, or the reason it is missing.</summary>
/// <param name="Token">The access token, or <c>""</c>.</param>
/// <param name="Problem">Why <paramref name="Token"/> is empty (<see cref="CredentialTokenProblem.None"/> when it is not).</param>
[GenerateSerializer, Immutable]
public sealed record CredentialToken([property: Id(0)] string Token, [property: Id(1)] CredentialTokenProblem Problem)
{
    /// <summary>A token.</summary>
    public static CredentialToken Of(string token) =>
        token.Length > 0 ? new(token, CredentialTokenProblem.None) : new("", CredentialTokenProblem.NotFound);

    /// <summary>The credential has no token.</summary>
    public static CredentialToken NotFound { get; } = new("", CredentialTokenProblem.NotFound);

    /// <summary>A refresh was needed and failed.</summary>
    public static CredentialToken RefreshFailed { get; } = new("", CredentialTokenProblem.RefreshFailed);
}

/// <summary>Why a <see cref="CredentialToken"/> carries no token.</summary>
public enum CredentialTokenProblem
{
    /// <summary>It carries one.</summary>
    None,

    /// <summary>The credential holds no token (or is gone).</summary>
    NotFound,

    /// <summary>The token had expired and refreshing it failed.</summary>
    RefreshFailed,
}
