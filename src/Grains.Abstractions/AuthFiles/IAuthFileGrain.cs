using CliProxy.Abstractions.Calls;
using CliProxy.Abstractions.Credentials;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Errors;
using Orleans.Concurrency;

namespace CliProxy.Abstractions.AuthFiles;

/// <summary>
/// Owner of one credential file (key <see cref="AuthFileKeys.For"/>). Every change validates
/// first and stores all-or-nothing; the index is updated before the call returns, so every
/// node sees the change at once.
/// </summary>
public interface IAuthFileGrain : IGrainWithStringKey
{
    /// <summary>The stored JSON text and its summary, or null when the credential does not exist.</summary>
    [AlwaysInterleave, RetrySafe]
    Task<AuthFileContent?> Get();

    /// <summary>
    /// Stores <paramref name="json"/> byte-for-byte as the credential (an upload). Refused
    /// (nothing changes) unless it is a JSON object within <see cref="AuthFileLimits.MaxBytes"/>.
    /// </summary>
    [RetrySafe]
    Task<AuthFileResult> Replace(string json);

    /// <summary>Deletes the credential; <see cref="Refusals.FileNotFound"/> when it does not exist.</summary>
    [ResendWhenNotDelivered]
    Task<AuthFileResult> Delete();

    /// <summary>Sets the file's <c>disabled</c> flag; <see cref="Refusals.AuthFileNotFound"/> when it does not exist.</summary>
    [RetrySafe]
    Task<AuthFileResult> SetDisabled(bool disabled);

    /// <summary>Edits <c>prefix</c>, <c>proxy_url</c>, <c>priority</c>, <c>note</c> in the file (persisted).</summary>
    [RetrySafe]
    Task<AuthFileResult> PatchFields(AuthFieldsPatch patch);

    /// <summary>
    /// Merges top-level values computed in the background (e.g. refreshed tokens) into the
    /// credential as it is now, so a disable or field edit made meanwhile is kept. Values are
    /// JSON texts keyed by property name.
    /// </summary>
    Task<AuthFileResult> MergeValues(Dictionary<string, string> values);

    /// <summary>
    /// Stores the credential a finished login produced: its fields replace the stored ones, and the
    /// operator's settings of a stored credential of the same name are kept (see
    /// <c>CliProxy.Domain.OAuth.Credentials.ReloginMerge</c>). Refused like <see cref="Replace"/>.
    /// </summary>
    Task<AuthFileResult> StoreLogin(string json);

    /// <summary>Re-reads the stored credential (the file was changed by hand) and updates the index.</summary>
    Task Reload();

    /// <summary>
    /// A valid access token of this credential, for the proxy and <c>/api-call</c>: the stored one, or — when
    /// it is missing, expired or expires within 30 s and the credential has a refresh token — a refreshed one.
    /// This grain is the credential's only refresher: concurrent callers (from any node) share one refresh in
    /// flight; the new tokens are merged into the credential as it is then (a disable or field edit made
    /// meanwhile is kept); a refresh token the provider refuses is recorded in the credential's status message
    /// and not sent again (<see cref="CredentialTokenProblem.RefreshFailed"/>) until a login or upload replaces it.
    /// </summary>
    [AlwaysInterleave, RetrySafe]
    Task<CredentialToken> GetAccessToken();

    /// <summary>
    /// Stores the result of a refresh of <paramref name="usedRefreshToken"/> (called by the grain itself, so it
    /// runs in turn with management changes): <paramref name="values"/> merged as <see cref="MergeValues"/> does,
    /// or, when <paramref name="rejection"/> is set, that message as the status and the token as refused. Ignored
    /// (200) when the credential no longer holds <paramref name="usedRefreshToken"/> (a new login came meanwhile).
    /// </summary>
    [RetrySafe]
    Task<AuthFileResult> StoreRefresh(string usedRefreshToken, Dictionary<string, string> values, string? rejection);
}

/// <summary>A credential's stored text and list summary.</summary>
[GenerateSerializer, Immutable]
public sealed record AuthFileContent([property: Id(0)] string Json, [property: Id(1)] AuthFileSummary Summary);

/// <summary>Outcome of a change: null <paramref name="Refusal"/> when it was stored, else why not.</summary>
/// <param name="Refusal">Why the change was refused or failed, or null.</param>
[GenerateSerializer, Immutable]
public sealed record AuthFileResult([property: Id(0)] Refusal? Refusal)
{
    /// <summary>A stored change.</summary>
    public static AuthFileResult Stored { get; } = new((Refusal?)null);

    /// <summary>True when the change was stored.</summary>
    public bool IsSuccess => Refusal is null;

    /// <summary>A refused or failed change.</summary>
    public static AuthFileResult Refused(Refusal refusal) => new(refusal);
}

/// <summary>
/// Fields of <c>PATCH /auth-files/fields</c>; null = not given. An empty <c>prefix</c>,
/// <c>proxy_url</c> or <c>note</c>, or a <c>priority</c> of 0, removes the key.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AuthFieldsPatch(
    [property: Id(0)] string? Prefix,
    [property: Id(1)] string? ProxyUrl,
    [property: Id(2)] long? Priority,
    [property: Id(3)] string? Note);

/// <summary>Size limit of one credential.</summary>
public static class AuthFileLimits
{
    /// <summary>1 MiB: credentials are a few KiB; the limit stops accidental uploads of other files.</summary>
    public const int MaxBytes = 1024 * 1024;
}

/// <summary>Keys of the auth-file grains.</summary>
public static class AuthFileKeys
{
    /// <summary>The index of one deployment.</summary>
    public const string Index = "default";

    /// <summary>
    /// Key for a file name: prefixed so no name parses as a number in Orleans' ADO.NET storage
    /// (which would take it for an integer key), with <c>%</c> and <c>+</c> escaped because Orleans
    /// reads <c>+</c> as the start of a key extension.
    /// </summary>
    public static string For(string fileName) => "auth:" + fileName.Replace("%", "%25").Replace("+", "%2B");

    /// <summary>The file name of a key made by <see cref="For"/>.</summary>
    public static string NameOf(string key) => key["auth:".Length..].Replace("%2B", "+").Replace("%25", "%");
}
