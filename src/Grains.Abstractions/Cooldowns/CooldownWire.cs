using CliProxy.Domain.Proxy.Cooldowns;

namespace CliProxy.Abstractions.Cooldowns;

/// <summary>Conversions between the board's wire records and the domain's cooldown types.</summary>
public static class CooldownWire
{
    /// <summary>The wire form of <paramref name="outcome"/>.</summary>
    public static CooldownReport ToReport(this AttemptOutcome outcome) =>
        new(outcome.CredentialId, outcome.Model, outcome.Status, outcome.RetryHint, outcome.DisableCooling);

    /// <summary>The wire form of a pair.</summary>
    public static CooldownPair ToPair(this CooldownKey key, CooldownEntry entry) =>
        new(key.CredentialId, key.Model, entry.Until, entry.Quota, entry.Level);

    /// <summary>The wire form of a key.</summary>
    public static CooldownPairKey ToPairKey(this CooldownKey key) => new(key.CredentialId, key.Model);

    /// <summary>The domain key of <paramref name="pair"/>.</summary>
    public static CooldownKey Key(this CooldownPair pair) => new(pair.CredentialId, pair.Model);

    /// <summary>The domain key of <paramref name="key"/>.</summary>
    public static CooldownKey Key(this CooldownPairKey key) => new(key.CredentialId, key.Model);

    /// <summary>The domain entry of <paramref name="pair"/>.</summary>
    public static CooldownEntry Entry(this CooldownPair pair) => new(pair.Until, pair.Quota, pair.Level);

    /// <summary>The table after <paramref name="change"/>.</summary>
    public static CooldownTable Apply(this CooldownTable table, CooldownChange change) =>
        table.With(change.Set.Select(p => KeyValuePair.Create(p.Key(), p.Entry())), change.Removed.Select(k => k.Key()));

    /// <summary>The table of <paramref name="snapshot"/>.</summary>
    public static CooldownTable ToTable(this CooldownSnapshot snapshot) =>
        CooldownTable.Of(snapshot.Pairs.Select(p => KeyValuePair.Create(p.Key(), p.Entry())));
}
