namespace CliProxy.Domain.Proxy.Cooldowns;

/// <summary>
/// The cluster-wide cooldowns of credentials per requested model (spec usage §5.4), as one node sees them.
/// <see cref="Find"/> reads the node's copy (no grain call); <see cref="ReportAsync"/> changes the shared
/// state only when the outcome changes it (a failure that cools, or a success on a cooled/counted pair), so
/// a 429 seen on one node cools that credential on every node.
/// </summary>
public interface ICooldownBoard
{
    /// <summary>The block of <paramref name="credentialId"/> for <paramref name="model"/> (suffix-stripped) in force at <paramref name="now"/>, or null.</summary>
    CooldownBlock? Find(string credentialId, string model, DateTimeOffset now);

    /// <summary>Records the outcome of one attempt (status 2xx = success).</summary>
    ValueTask ReportAsync(AttemptOutcome outcome, CancellationToken cancellationToken = default);
}

/// <summary>A credential blocked for a model until <paramref name="Until"/>.</summary>
/// <param name="Until">When it becomes eligible again.</param>
/// <param name="Quota">Whether the block is a quota cooldown (a 429): only those make the 429 <c>model_cooldown</c> answer.</param>
public sealed record CooldownBlock(DateTimeOffset Until, bool Quota);

/// <summary>The outcome of one upstream attempt, as the cooldown rules need it.</summary>
/// <param name="CredentialId">The credential's id.</param>
/// <param name="Model">The requested model, suffix-stripped.</param>
/// <param name="Status">Upstream HTTP status (0 for a transport error).</param>
/// <param name="RetryHint">The upstream's retry hint (Retry-After, or a reset time in the error), if any.</param>
/// <param name="DisableCooling">The effective <c>disable-cooling</c> (credential override, else global).</param>
public sealed record AttemptOutcome(string CredentialId, string Model, int Status, TimeSpan? RetryHint, bool DisableCooling);
