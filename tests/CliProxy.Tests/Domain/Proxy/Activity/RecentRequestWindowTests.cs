using CliProxy.Domain.Proxy.Activity;

namespace CliProxy.Tests.Domain.Proxy.Activity;

/// <summary>The window of recent requests: 10-minute buckets aligned to Unix time, 20 of them, labelled in local time.</summary>
[Unit]
public sealed class RecentRequestWindowTests
{
    [Theory]
    [InlineData("2026-12-07T14:20:00Z", "2026-12-07T14:29:59Z", true)] // one bucket: 14:20-14:30
    [InlineData("2026-12-07T14:29:59Z", "2026-12-07T14:30:00Z", false)]
    [InlineData("2026-12-07T00:00:00Z", "2026-12-06T23:59:59Z", false)]
    public void Times_share_a_bucket_within_the_same_ten_minutes(string a, string b, bool same) =>
        Assert.Equal(same, RecentRequestWindow.BucketOf(DateTimeOffset.Parse(a)) == RecentRequestWindow.BucketOf(DateTimeOffset.Parse(b)));

    [Theory]
    [InlineData("2026-12-07T14:23:10Z", 0, "14:20-14:30")]
    [InlineData("2026-12-07T14:23:10Z", 8, "22:20-22:30")] // the zone's local time
    [InlineData("2026-12-07T23:55:00Z", 0, "23:50-00:00")] // across midnight
    [InlineData("2026-12-07T14:23:10Z", 5.5, "19:50-20:00")] // a half-hour zone
    public void A_bucket_is_labelled_with_its_local_start_and_end(string time, double offsetHours, string label)
    {
        var zone = TimeZoneInfo.CreateCustomTimeZone("test", TimeSpan.FromHours(offsetHours), "test", "test");
        Assert.Equal(label, RecentRequestWindow.Label(RecentRequestWindow.BucketOf(DateTimeOffset.Parse(time)), zone));
    }

    [Theory]
    [InlineData(0, true)] // the current bucket
    [InlineData(-19, true)] // the oldest of the 20
    [InlineData(-20, false)]
    [InlineData(1, false)] // a bucket ahead of the clock
    public void The_window_holds_the_current_bucket_and_the_nineteen_before(long offset, bool inside) =>
        Assert.Equal(inside, RecentRequestWindow.InWindow(1000 + offset, 1000));
}
