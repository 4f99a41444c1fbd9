namespace CliProxy.Domain.Usage;

/// <summary>
/// The <c>source</c> of a usage record (spec §1.3: the credential's file name, project, account
/// e-mail, upstream key or client key) made safe to store: an upstream API key is never kept in
/// clear (spec §7 defect 9), it is masked as the logs mask keys (spec §2.6 <c>HideKey</c>).
/// </summary>
public static class UsageSource
{
    /// <summary>Prefixes of provider API keys (OpenAI-style <c>sk-</c>, Google <c>AIza</c>) that an imported <c>source</c> is masked for.</summary>
    private static readonly string[] KeyPrefixes = ["sk-", "AIza"];

    /// <summary>The source for a credential known by its upstream API key: the key masked.</summary>
    public static string UpstreamKey(string apiKey) => HideKey(apiKey.Trim());

    /// <summary>
    /// The source of an imported detail: masked when it is one of <paramref name="upstreamKeys"/> (the
    /// configured upstream keys) or looks like a provider key (<c>sk-…</c>, <c>AIza…</c>), else unchanged.
    /// </summary>
    public static string ForImport(string source, IReadOnlySet<string> upstreamKeys)
    {
        var trimmed = source.Trim();
        if (trimmed.Length == 0 || trimmed.Contains('@') || trimmed.Contains("...", StringComparison.Ordinal)) return source;
        if (upstreamKeys.Contains(trimmed) || (!trimmed.Contains(' ') && KeyPrefixes.Any(p => trimmed.StartsWith(p, StringComparison.Ordinal) && trimmed.Length > p.Length + 8)))
            return HideKey(trimmed);
        return source;
    }

    /// <summary>
    /// Spec §2.6 <c>HideKey</c>: longer than 8 characters → first 4 + <c>...</c> + last 4; 5–8 → first
    /// 2 + <c>...</c> + last 2; 3–4 → first 1 + <c>...</c> + last 1; shorter ones unchanged.
    /// </summary>
    public static string HideKey(string value) => value.Length switch
    {
        > 8 => value[..4] + "..." + value[^4..],
        >= 5 => value[..2] + "..." + value[^2..],
        >= 3 => value[..1] + "..." + value[^1..],
        _ => value,
    };
}
