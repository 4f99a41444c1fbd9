using CliProxy.Domain.Proxy.Cooldowns;

namespace CliProxy.Tests.Domain.Proxy;

/// <summary>The cooldown rules of spec usage §5.4 and the two rules that make reports from several nodes safe.</summary>
[Unit]
public sealed class CooldownRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(401, 1800, false)]
    [InlineData(402, 1800, false)]
    [InlineData(403, 1800, false)]
    [InlineData(404, 43200, false)]
    [InlineData(408, 60, false)]
    [InlineData(500, 60, false)]
    [InlineData(502, 60, false)]
    [InlineData(503, 60, false)]
    [InlineData(504, 60, false)]
    [InlineData(429, 1, true)]
    public void A_failure_cools_the_pair_for_the_tables_time(int status, int seconds, bool quota)
    {
        var next = CooldownRules.Next(null, status, null, disableCooling: false, Now);
        Assert.Equal(new CooldownBlock(Now.AddSeconds(seconds), quota), next!.BlockAt(Now));
        Assert.Null(next.BlockAt(Now.AddSeconds(seconds)));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(400)]
    [InlineData(405)]
    [InlineData(409)]
    [InlineData(422)]
    [InlineData(501)]
    [InlineData(505)]
    public void Other_statuses_change_nothing(int status)
    {
        Assert.Null(CooldownRules.Next(null, status, null, false, Now));
        var remembered = new CooldownEntry(Now.AddSeconds(-5), true, 3);
        Assert.Same(remembered, CooldownRules.Next(remembered, status, null, false, Now));
    }

    [Theory]
    [InlineData(200)]
    [InlineData(201)]
    [InlineData(299)]
    public void Success_resets_the_pair_and_its_level(int status) =>
        Assert.Null(CooldownRules.Next(new CooldownEntry(Now.AddMinutes(10), true, 5), status, null, false, Now));

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 2, 2)]
    [InlineData(2, 4, 3)]
    [InlineData(10, 1024, 11)]
    [InlineData(11, 1800, 11)]
    [InlineData(40, 1800, 40)]
    [InlineData(-3, 1, 1)]
    public void The_429_backoff_doubles_per_level_up_to_30_minutes(int level, int seconds, int nextLevel) =>
        Assert.Equal((TimeSpan.FromSeconds(seconds), nextLevel), CooldownRules.Backoff(level));

    [Fact]
    public void Consecutive_429s_after_each_block_ended_double_the_wait()
    {
        CooldownEntry? entry = null;
        var now = Now;
        foreach (var expected in new[] { 1, 2, 4, 8, 16 })
        {
            entry = CooldownRules.Next(entry, 429, null, false, now);
            Assert.Equal(now.AddSeconds(expected), entry!.Until);
            Assert.True(entry.Quota);
            now = entry.Until; // the credential is tried again when the block ends
        }
        Assert.Equal(5, entry!.Level);
    }

    [Fact]
    public void A_429_while_the_quota_block_is_in_force_counts_once()
    {
        var first = CooldownRules.Next(null, 429, null, false, Now)!;
        // A concurrent attempt (this node or another) answered the same 429 half a second later.
        Assert.Same(first, CooldownRules.Next(first, 429, null, false, Now.AddMilliseconds(500)));
    }

    [Fact]
    public void The_upstream_hint_decides_the_429_wait_and_keeps_the_level()
    {
        var entry = CooldownRules.Next(new CooldownEntry(Now.AddSeconds(-1), true, 3), 429, TimeSpan.FromSeconds(42), false, Now);
        Assert.Equal(new CooldownEntry(Now.AddSeconds(42), true, 3), entry);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-5)]
    public void A_hint_of_zero_or_less_counts_as_none(int seconds) =>
        Assert.Equal(Now.AddSeconds(1), CooldownRules.Next(null, 429, TimeSpan.FromSeconds(seconds), false, Now)!.Until);

    [Theory]
    [InlineData(408)]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(504)]
    [InlineData(429)]
    public void Disable_cooling_turns_off_the_minute_and_the_exponential_backoff(int status) =>
        Assert.Null(CooldownRules.Next(null, status, null, disableCooling: true, Now));

    [Theory]
    [InlineData(401, 1800)]
    [InlineData(403, 1800)]
    [InlineData(404, 43200)]
    public void Disable_cooling_keeps_the_auth_and_not_found_blocks(int status, int seconds) =>
        Assert.Equal(Now.AddSeconds(seconds), CooldownRules.Next(null, status, null, disableCooling: true, Now)!.Until);

    [Fact]
    public void Disable_cooling_still_honours_a_429_hint() =>
        Assert.Equal(new CooldownBlock(Now.AddSeconds(30), true),
            CooldownRules.Next(null, 429, TimeSpan.FromSeconds(30), disableCooling: true, Now)!.BlockAt(Now));

    [Fact]
    public void A_block_in_force_is_not_shortened_by_another_failure()
    {
        var unauthorized = CooldownRules.Next(null, 401, null, false, Now)!;
        var after500 = CooldownRules.Next(unauthorized, 500, null, false, Now.AddSeconds(1));
        Assert.Same(unauthorized, after500);
        var afterHint = CooldownRules.Next(unauthorized, 429, TimeSpan.FromSeconds(5), false, Now.AddSeconds(1))!;
        Assert.Equal((unauthorized.Until, false), (afterHint.Until, afterHint.Quota));
    }

    [Fact]
    public void A_longer_hint_extends_a_quota_block_in_force()
    {
        var first = CooldownRules.Next(null, 429, null, false, Now)!;
        Assert.Equal(Now.AddSeconds(60), CooldownRules.Next(first, 429, TimeSpan.FromSeconds(60), false, Now)!.Until);
    }

    [Fact]
    public void A_transient_failure_after_quota_keeps_the_level()
    {
        var entry = CooldownRules.Next(new CooldownEntry(Now.AddSeconds(-1), true, 4), 503, null, false, Now);
        Assert.Equal(new CooldownEntry(Now.AddMinutes(1), false, 4), entry);
    }

    [Fact]
    public void Ended_entries_are_spent_at_once_without_a_level_and_30_minutes_later_with_one()
    {
        var plain = new CooldownEntry(Now, false, 0);
        Assert.False(CooldownRules.IsSpent(plain, Now.AddTicks(-1)));
        Assert.True(CooldownRules.IsSpent(plain, Now));
        var leveled = new CooldownEntry(Now, true, 2);
        Assert.False(CooldownRules.IsSpent(leveled, Now.AddMinutes(29)));
        Assert.True(CooldownRules.IsSpent(leveled, Now.AddMinutes(30)));
    }

    [Fact]
    public void The_outcome_overload_reads_the_outcomes_fields() =>
        Assert.Equal(new CooldownEntry(Now.AddSeconds(7), true, 0),
            CooldownRules.Next(null, new AttemptOutcome("c", "m", 429, TimeSpan.FromSeconds(7), false), Now));
}
