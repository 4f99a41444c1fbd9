using CliProxy.Domain.Proxy.Cooldowns;

namespace CliProxy.Tests.Domain.Proxy;

/// <summary>The immutable table of remembered (credential, model) pairs.</summary>
[Unit]
public sealed class CooldownTableTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static KeyValuePair<CooldownKey, CooldownEntry> Pair(string credential, string model, int seconds, bool quota = false, int level = 0) =>
        KeyValuePair.Create(new CooldownKey(credential, model), new CooldownEntry(Now.AddSeconds(seconds), quota, level));

    [Fact]
    public void Pairs_are_added_replaced_and_removed_without_changing_the_old_table()
    {
        var table = CooldownTable.Of([Pair("a", "m1", 10, true), Pair("a", "m2", 20), Pair("b", "m1", 30)]);
        Assert.Equal(3, table.Count);
        Assert.Equal(new CooldownBlock(Now.AddSeconds(10), true), table.BlockAt("a", "m1", Now));
        Assert.Null(table.BlockAt("a", "M1", Now)); // ordinal
        Assert.Null(table.BlockAt("a", "m1", Now.AddSeconds(10)));

        var next = table.With([Pair("a", "m1", 99)], [new CooldownKey("a", "m2"), new CooldownKey("b", "m1"), new CooldownKey("x", "y")]);
        Assert.Equal(1, next.Count);
        Assert.Equal(["m1"], next.ForCredential("a").Keys);
        Assert.Empty(next.ForCredential("b"));
        Assert.Equal(3, table.Count);
        Assert.Equal(Now.AddSeconds(10), table.Find("a", "m1")!.Until);
    }

    [Fact]
    public void Spent_lists_the_pairs_that_can_be_forgotten()
    {
        var table = CooldownTable.Of([Pair("a", "ended", -1), Pair("a", "leveled", -1, true, 3), Pair("b", "cooling", 5)]);
        Assert.Equal([new CooldownKey("a", "ended")], table.Spent(Now));
        Assert.Equal(3, table.Spent(Now.AddHours(1)).Count());
    }
}
