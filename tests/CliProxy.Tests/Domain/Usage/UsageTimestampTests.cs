using CliProxy.Domain.Usage;

namespace CliProxy.Tests.Domain.Usage;

/// <summary>Usage timestamps: RFC 3339 with the original precision, the UTC de-duplication form, buckets in the written offset.</summary>
[Unit]
public sealed class UsageTimestampTests
{
    [Theory]
    [InlineData("2026-02-23T09:15:02.481236117+08:00", "2026-02-23T01:15:02.481236117Z", "2026-02-23", 9)]
    [InlineData("2026-02-24T01:47:55.118004632+08:00", "2026-02-23T17:47:55.118004632Z", "2026-02-24", 1)]
    [InlineData("2026-02-24T10:05:30.5+08:00", "2026-02-24T02:05:30.5Z", "2026-02-24", 10)]
    [InlineData("2026-02-24T10:05:30.500000000+08:00", "2026-02-24T02:05:30.5Z", "2026-02-24", 10)]
    [InlineData("2026-01-01T00:00:00.000-05:30", "2026-01-01T05:30:00Z", "2026-01-01", 0)]
    [InlineData("2025-12-31T23:59:59Z", "2025-12-31T23:59:59Z", "2025-12-31", 23)]
    [InlineData("2026-03-01T00:00:00.1234567891234+00:00", "2026-03-01T00:00:00.123456789Z", "2026-03-01", 0)]
    public void Parse_keeps_the_text_and_builds_the_utc_key_from_the_written_digits(string text, string utcKey, string day, int hour)
    {
        Assert.True(UsageTimestamp.TryParse(text, out var t));
        Assert.Equal(text, t.Text);
        Assert.Equal(utcKey, t.UtcKey);
        Assert.Equal(day, t.Day);
        Assert.Equal(hour, t.Hour);
    }

    [Theory]
    [InlineData("")]
    [InlineData("2026-02-23 09:15:02Z")]
    [InlineData("2026-02-23T09:15:02")]
    [InlineData("2026-02-30T00:00:00Z")]
    [InlineData("2026-02-23T24:00:00Z")]
    [InlineData("2026-02-23T09:60:00Z")]
    [InlineData("2026-02-23T09:15:02.Z")]
    [InlineData("2026-02-23T09:15:02+0800")]
    [InlineData("2026-02-23T09:15:02z")]
    [InlineData("not a time")]
    public void Parse_refuses_what_is_not_rfc3339(string text) => Assert.False(UsageTimestamp.TryParse(text, out _));

    [Theory]
    [InlineData(0, "2026-02-23T01:15:02Z")]
    [InlineData(1_000_000, "2026-02-23T01:15:02.1Z")]
    [InlineData(1_234_567, "2026-02-23T01:15:02.1234567Z")]
    [InlineData(4_812_300, "2026-02-23T01:15:02.48123Z")]
    public void From_formats_as_go_does_in_utc(long ticks, string expected)
    {
        var t = UsageTimestamp.From(new DateTimeOffset(2026, 2, 23, 1, 15, 2, TimeSpan.Zero).AddTicks(ticks), TimeZoneInfo.Utc);
        Assert.Equal(expected, t.Text);
        Assert.Equal(expected, t.UtcKey);
    }

    [Fact]
    public void From_writes_the_zone_offset_and_buckets_in_that_zone()
    {
        var t = UsageTimestamp.From(new DateTimeOffset(2026, 2, 23, 17, 47, 55, TimeSpan.Zero).AddTicks(1_180_046), UsageKit.Plus8);
        Assert.Equal("2026-02-24T01:47:55.1180046+08:00", t.Text);
        Assert.Equal("2026-02-24", t.Day);
        Assert.Equal(1, t.Hour);
        Assert.Equal("2026-02-23T17:47:55.1180046Z", t.UtcKey);
        Assert.True(UsageTimestamp.TryParse(t.Text, out var again));
        Assert.Equal(t.Instant, again.Instant);
    }

    [Fact]
    public void Go_zero_time_is_recognised()
    {
        Assert.True(UsageTimestamp.Parse("0001-01-01T00:00:00Z").IsZero);
        Assert.False(UsageTimestamp.Parse("0001-01-01T00:00:00.000000001Z").IsZero);
    }
}
