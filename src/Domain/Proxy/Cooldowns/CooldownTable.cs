using System.Collections.Immutable;

namespace CliProxy.Domain.Proxy.Cooldowns;

/// <summary>
/// Every remembered (credential, model) pair of the cluster (spec usage §5.4), immutable: a change makes a
/// new table sharing the rest. Grouped by credential, so what one credential has (for the credential list's
/// <c>unavailable</c>/<c>next_retry_after</c>) is one lookup.
/// </summary>
public sealed class CooldownTable
{
    private readonly ImmutableDictionary<string, ImmutableDictionary<string, CooldownEntry>> _byCredential;

    private CooldownTable(ImmutableDictionary<string, ImmutableDictionary<string, CooldownEntry>> byCredential, int count)
    {
        _byCredential = byCredential;
        Count = count;
    }

    /// <summary>The table with no pairs.</summary>
    public static CooldownTable Empty { get; } = new(ImmutableDictionary.Create<string, ImmutableDictionary<string, CooldownEntry>>(StringComparer.Ordinal), 0);

    /// <summary>The number of remembered pairs.</summary>
    public int Count { get; }

    /// <summary>A table of <paramref name="entries"/> (a key given twice keeps the last).</summary>
    public static CooldownTable Of(IEnumerable<KeyValuePair<CooldownKey, CooldownEntry>> entries) => Empty.With(entries, []);

    /// <summary>What is remembered about <paramref name="credentialId"/> for <paramref name="model"/>, or null.</summary>
    public CooldownEntry? Find(string credentialId, string model) =>
        _byCredential.TryGetValue(credentialId, out var models) ? models.GetValueOrDefault(model) : null;

    /// <summary>What is remembered about <paramref name="key"/>, or null.</summary>
    public CooldownEntry? Find(CooldownKey key) => Find(key.CredentialId, key.Model);

    /// <summary>The block of <paramref name="credentialId"/> for <paramref name="model"/> in force at <paramref name="now"/>, or null.</summary>
    public CooldownBlock? BlockAt(string credentialId, string model, DateTimeOffset now) => Find(credentialId, model)?.BlockAt(now);

    /// <summary>Every model remembered for <paramref name="credentialId"/> (empty when none).</summary>
    public ImmutableDictionary<string, CooldownEntry> ForCredential(string credentialId) =>
        _byCredential.GetValueOrDefault(credentialId) ?? ImmutableDictionary<string, CooldownEntry>.Empty.WithComparers(StringComparer.Ordinal);

    /// <summary>Every pair.</summary>
    public IEnumerable<KeyValuePair<CooldownKey, CooldownEntry>> Entries =>
        _byCredential.SelectMany(c => c.Value.Select(m => KeyValuePair.Create(new CooldownKey(c.Key, m.Key), m.Value)));

    /// <summary>The pairs that can be forgotten at <paramref name="now"/> (<see cref="CooldownRules.IsSpent"/>).</summary>
    public IEnumerable<CooldownKey> Spent(DateTimeOffset now) =>
        Entries.Where(e => CooldownRules.IsSpent(e.Value, now)).Select(e => e.Key);

    /// <summary>The table with <paramref name="set"/> added or replaced, then <paramref name="removed"/> forgotten.</summary>
    public CooldownTable With(IEnumerable<KeyValuePair<CooldownKey, CooldownEntry>> set, IEnumerable<CooldownKey> removed)
    {
        var byCredential = _byCredential.ToBuilder();
        var count = Count;
        foreach (var (key, entry) in set)
        {
            var models = byCredential.GetValueOrDefault(key.CredentialId) ?? ImmutableDictionary<string, CooldownEntry>.Empty.WithComparers(StringComparer.Ordinal);
            if (!models.ContainsKey(key.Model)) count++;
            byCredential[key.CredentialId] = models.SetItem(key.Model, entry);
        }
        foreach (var key in removed)
        {
            if (!byCredential.TryGetValue(key.CredentialId, out var models) || !models.ContainsKey(key.Model)) continue;
            count--;
            models = models.Remove(key.Model);
            if (models.IsEmpty) byCredential.Remove(key.CredentialId);
            else byCredential[key.CredentialId] = models;
        }
        return new CooldownTable(byCredential.ToImmutable(), count);
    }
}
