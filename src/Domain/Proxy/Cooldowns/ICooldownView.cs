namespace CliProxy.Domain.Proxy.Cooldowns;

/// <summary>
/// What the node's copy of the cluster-wide cooldowns says about one credential, for displays such as the
/// credential list's <c>unavailable</c> and <c>next_retry_after</c>. Reads the node's copy; never calls a grain.
/// </summary>
public interface ICooldownView
{
    /// <summary>The blocks of <paramref name="credentialId"/> in force at <paramref name="now"/>, by model (empty when none).</summary>
    IReadOnlyDictionary<string, CooldownBlock> BlocksOf(string credentialId, DateTimeOffset now);
}
