using System.Collections.Frozen;
using System.Collections.Immutable;

namespace CliProxy.Domain.AuthFiles;

/// <summary>
/// Every credential of a deployment as one immutable value, for lookups that cost no grain call:
/// by file name, by <c>auth_index</c>, and all credentials of a provider. A change makes a new index
/// (<see cref="With"/>) that shares the unchanged entries; the lookups by <c>auth_index</c> and by
/// provider are built on first use, once per index.
/// </summary>
public sealed class CredentialIndex
{
    private readonly ImmutableDictionary<string, CredentialEntry> _byName;
    private readonly Lazy<FrozenDictionary<string, CredentialEntry>> _byAuthIndex;
    private readonly Lazy<FrozenDictionary<string, ImmutableArray<CredentialEntry>>> _byProvider;

    /// <summary>No credential.</summary>
    public static readonly CredentialIndex Empty = new(ImmutableDictionary.Create<string, CredentialEntry>(StringComparer.Ordinal));

    private CredentialIndex(ImmutableDictionary<string, CredentialEntry> byName)
    {
        _byName = byName;
        _byAuthIndex = new(() => _byName.Values.GroupBy(e => e.AuthIndex, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.MinBy(e => e.Name, StringComparer.Ordinal)!, StringComparer.Ordinal));
        _byProvider = new(() => _byName.Values.GroupBy(e => e.Provider, StringComparer.Ordinal)
            .ToFrozenDictionary(g => g.Key, g => g.OrderBy(e => e.Name, StringComparer.Ordinal).ToImmutableArray(), StringComparer.Ordinal));
    }

    /// <summary>The index of <paramref name="summaries"/> (a later summary of the same name wins).</summary>
    public static CredentialIndex Of(IEnumerable<AuthFileSummary> summaries) => Empty.With(summaries, []);

    /// <summary>This index with <paramref name="upserted"/> added or replaced, then <paramref name="removed"/> (file names) taken out.</summary>
    public CredentialIndex With(IEnumerable<AuthFileSummary> upserted, IEnumerable<string> removed)
    {
        var builder = _byName.ToBuilder();
        foreach (var summary in upserted) builder[summary.Name] = CredentialEntry.Of(summary);
        builder.RemoveRange(removed);
        return new CredentialIndex(builder.ToImmutable());
    }

    /// <summary>Number of credentials.</summary>
    public int Count => _byName.Count;

    /// <summary>All credentials, in no particular order.</summary>
    public IEnumerable<CredentialEntry> All => _byName.Values;

    /// <summary>The credential stored as <paramref name="name"/>, or null.</summary>
    public CredentialEntry? Find(string name) => _byName.GetValueOrDefault(name);

    /// <summary>The credential whose <c>auth_index</c> is <paramref name="authIndex"/>, or null (two names sharing one: the ordinally first).</summary>
    public CredentialEntry? FindByAuthIndex(string authIndex) => _byAuthIndex.Value.GetValueOrDefault(authIndex);

    /// <summary>The credentials of <paramref name="provider"/>, disabled ones included, ordered by name (ordinal).</summary>
    public ImmutableArray<CredentialEntry> ForProvider(string provider) =>
        _byProvider.Value.TryGetValue(provider, out var entries) ? entries : [];
}
