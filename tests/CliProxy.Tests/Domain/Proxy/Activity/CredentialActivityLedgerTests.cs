using CliProxy.Domain.Proxy.Activity;

namespace CliProxy.Tests.Domain.Proxy.Activity;

/// <summary>Attempt counts per credential: totals since the start, buckets of the window only, the window read with zeros.</summary>
[Unit]
public sealed class CredentialActivityLedgerTests
{
    private const long Now = 5000;

    [Fact]
    public void Counts_of_one_bucket_add_up_and_totals_keep_what_left_the_window()
    {
        var ledger = new CredentialActivityLedger();
        ledger.Add("a", new ActivityCount(Now, 2, 0), Now);
        ledger.Add("a", new ActivityCount(Now, 1, 1), Now);
        ledger.Add("a", new ActivityCount(Now - 25, 4, 4), Now); // late and outside the window: totals only
        ledger.Add("b", new ActivityCount(Now - 1, 0, 3), Now);

        var read = ledger.Read(Now).ToDictionary(r => r.CredentialId);
        Assert.Equal((7L, 5L), (read["a"].Success, read["a"].Failed));
        Assert.Equal([new ActivityCount(Now, 3, 1)], read["a"].Recent);
        Assert.Equal([new ActivityCount(Now - 1, 0, 3)], read["b"].Recent);

        // 20 buckets later everything has left the window; the totals stay.
        var later = ledger.Read(Now + 20).ToDictionary(r => r.CredentialId);
        Assert.Empty(later["a"].Recent);
        Assert.Equal((7L, 5L), (later["a"].Success, later["a"].Failed));
    }

    [Theory]
    [InlineData(0, 19)] // the current bucket is the last entry
    [InlineData(-19, 0)] // the oldest kept is the first
    [InlineData(-20, -1)] // gone: every entry zero
    public void The_window_is_twenty_buckets_oldest_first_with_zeros_where_nothing_was_counted(long offset, int index)
    {
        var activity = new CredentialActivity("a", 1, 0, [new ActivityCount(Now + offset, 1, 0)]);

        var window = activity.Window(Now);

        Assert.Equal(RecentRequestWindow.BucketCount, window.Count);
        Assert.Equal(Enumerable.Range(0, 20).Select(i => Now - 19 + i), window.Select(b => b.Bucket));
        for (var i = 0; i < window.Count; i++) Assert.Equal(i == index ? 1 : 0, window[i].Success);
    }
}
