namespace CliProxy.Domain.Proxy.Activity;

/// <summary>
/// The shape of <c>GET /api-key-usage</c> (the reference's, read by the Management Center's provider pages): every
/// config-defined API-key credential, grouped by provider — the <c>openai-compatibility</c> entry's name for those, else
/// the provider id, lower-cased — and keyed <c>"&lt;base-url&gt;|&lt;api-key&gt;"</c> (base-url as configured, <c>""</c> when
/// none), with its attempt counts. Credentials with the same key in one provider are summed; one never used counts zeros.
/// </summary>
public static class ApiKeyUsage
{
    /// <summary>Groups <paramref name="credentials"/> (auth files are left out) with their counts from <paramref name="activity"/> (by credential id).</summary>
    public static SortedDictionary<string, SortedDictionary<string, CredentialActivity>> Group(
        IEnumerable<UpstreamCredential> credentials, IReadOnlyDictionary<string, CredentialActivity> activity)
    {
        var providers = new SortedDictionary<string, SortedDictionary<string, CredentialActivity>>(StringComparer.Ordinal);
        foreach (var credential in credentials)
        {
            if (credential.Secret is not UpstreamSecret.ApiKey { Key: var key } || key.Trim().Length == 0) continue;
            var provider = credential.Provider.Trim().ToLowerInvariant() is { Length: > 0 } p ? p : "unknown";
            if (!providers.TryGetValue(provider, out var keys)) providers[provider] = keys = new SortedDictionary<string, CredentialActivity>(StringComparer.Ordinal);
            var composite = credential.BaseUrl.Trim() + "|" + key.Trim();
            var counted = activity.GetValueOrDefault(credential.Id) ?? new CredentialActivity(credential.Id, 0, 0, []);
            keys[composite] = keys.TryGetValue(composite, out var earlier) ? Sum(earlier, counted) : counted;
        }
        return providers;
    }

    private static CredentialActivity Sum(CredentialActivity a, CredentialActivity b) =>
        new(a.CredentialId, a.Success + b.Success, a.Failed + b.Failed,
            [.. a.Recent.Concat(b.Recent).GroupBy(c => c.Bucket).Select(g => new ActivityCount(g.Key, g.Sum(c => c.Success), g.Sum(c => c.Failed))).OrderBy(c => c.Bucket)]);
}
