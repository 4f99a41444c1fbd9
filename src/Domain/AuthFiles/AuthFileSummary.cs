namespace CliProxy.Domain.AuthFiles;

/// <summary>
/// What the credential list shows of one auth file, kept by the
/// index so that listing never reads every credential. Immutable; grain calls carry it through the
/// surrogate in <c>CliProxy.Abstractions.Serialization</c>.
/// </summary>
/// <param name="Name">File name, e.g. <c>claude-user@example.com.json</c> (also the record id).</param>
/// <param name="AuthIndex">Stable short hash of <c>file:&lt;name&gt;</c> (see <see cref="AuthIndex"/>).</param>
/// <param name="Provider">Lower-cased <c>type</c>, with <c>gemini</c> mapped to <c>gemini-cli</c>; <c>unknown</c> when absent.</param>
/// <param name="Label">The email, else the provider.</param>
/// <param name="Email">Trimmed <c>email</c>, or <c>""</c>.</param>
/// <param name="Status"><c>active</c> or <c>disabled</c>.</param>
/// <param name="StatusMessage">Why the status was set (e.g. <c>disabled via management API</c>), or <c>""</c>.</param>
/// <param name="Disabled">The file's <c>disabled</c> flag.</param>
/// <param name="Size">File size in bytes.</param>
/// <param name="CreatedAt">When this node first saw the credential.</param>
/// <param name="UpdatedAt">Last change of the file's content.</param>
/// <param name="LastRefresh">From <c>last_refresh</c> and its aliases, or null.</param>
/// <param name="Prefix"><c>prefix</c> or <c>""</c>.</param>
/// <param name="ProxyUrl"><c>proxy_url</c> or <c>""</c>.</param>
/// <param name="Priority"><c>priority</c> (number or numeric string), or null.</param>
/// <param name="Note"><c>note</c> (trimmed) or <c>""</c>.</param>
/// <param name="ProjectId"><c>project_id</c> or <c>""</c>.</param>
/// <param name="IdTokenClaims">Codex only: the JSON object of selected id_token claims, or null.</param>
/// <param name="ExcludedModels">The file's <c>excluded_models</c> (or <c>excluded-models</c>) patterns; null reads as none.</param>
/// <param name="DisableCooling">
/// <c>disable_cooling</c> (or <c>disable-cooling</c>; a bool, <c>"true"</c>/<c>"false"</c> or a number, non-zero is true):
/// overrides the config's <c>disable-cooling</c> for this credential (spec auth §1.9, usage §5.4); null when absent.
/// </param>
/// <param name="RequestRetry">
/// <c>request_retry</c> (or <c>request-retry</c>; an integer or numeric string, negative read as 0): overrides the
/// config's <c>request-retry</c> for this credential (spec usage §5.5); null when absent.
/// </param>
public sealed record AuthFileSummary(
    string Name,
    string AuthIndex,
    string Provider,
    string Label,
    string Email,
    string Status,
    string StatusMessage,
    bool Disabled,
    long Size,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? LastRefresh,
    string Prefix,
    string ProxyUrl,
    long? Priority,
    string Note,
    string ProjectId,
    string? IdTokenClaims,
    ModelPatterns? ExcludedModels = null,
    bool? DisableCooling = null,
    int? RequestRetry = null)
{
    /// <summary>The file's <c>excluded_models</c> patterns (never null).</summary>
    public ModelPatterns ExcludedModels { get; init; } = ExcludedModels ?? ModelPatterns.None;
}
