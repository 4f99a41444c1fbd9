namespace CliProxy.Domain.AuthFiles;

/// <summary>
/// A credential as the proxy chooses one: the fields of its auth file that decide whether and how it
/// serves a request (see the glossary: the typed view of an auth file). Built from the list summary,
/// so every node can hold all of them (<see cref="CredentialIndex"/>) without reading any file. Runtime
/// state of a credential (cooldowns, quota: the list's <c>unavailable</c>) is not part of it; it is
/// not stored in the auth file.
/// </summary>
/// <param name="Name">File name, the credential's id.</param>
/// <param name="AuthIndex">Stable short id shown to clients (<see cref="AuthFiles.AuthIndex"/>).</param>
/// <param name="Provider">Provider (<c>claude</c>, <c>codex</c>, <c>gemini-cli</c>, …; <c>unknown</c> when the file has no type).</param>
/// <param name="Label">The email, else the provider.</param>
/// <param name="Prefix">Model prefix (single segment) or <c>""</c>.</param>
/// <param name="ProxyUrl">Outbound proxy of this credential (<c>proxy_url</c>) or <c>""</c>: the config's <c>proxy-url</c> applies.</param>
/// <param name="Priority"><c>priority</c>, 0 when absent.</param>
/// <param name="Disabled">The file's <c>disabled</c> flag: a disabled credential serves nothing.</param>
/// <param name="ExcludedModels">The file's own <c>excluded_models</c> patterns (the config's per-provider list comes on top, see <see cref="CredentialModels"/>).</param>
/// <param name="DisableCooling">Per-credential <c>disable_cooling</c>, or null (the config's applies).</param>
/// <param name="RequestRetry">Per-credential <c>request_retry</c>, or null (the config's applies).</param>
public sealed record CredentialEntry(
    string Name,
    string AuthIndex,
    string Provider,
    string Label,
    string Prefix,
    string ProxyUrl,
    long Priority,
    bool Disabled,
    ModelPatterns ExcludedModels,
    bool? DisableCooling = null,
    int? RequestRetry = null)
{
    /// <summary>The entry of the auth file summarised by <paramref name="summary"/>.</summary>
    public static CredentialEntry Of(AuthFileSummary summary) => new(summary.Name, summary.AuthIndex, summary.Provider, summary.Label,
        summary.Prefix, summary.ProxyUrl, summary.Priority ?? 0, summary.Disabled, summary.ExcludedModels, summary.DisableCooling, summary.RequestRetry);
}
