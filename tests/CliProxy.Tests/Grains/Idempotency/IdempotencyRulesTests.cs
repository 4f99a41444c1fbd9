using System.Text;
using CliProxy.Abstractions.Idempotency;
using CliProxy.Grains.Idempotency;

namespace CliProxy.Tests.Grains.Idempotency;

/// <summary>The bounds and lookups of the idempotency records (config grain and answer shards).</summary>
[Unit]
public sealed class IdempotencyRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);

    private static IdempotencyToken Token(int i, string fingerprint = "f") => new($"{i:x32}", fingerprint);

    [Fact]
    public void Applied_keys_are_found_in_the_stored_record_and_in_the_batch()
    {
        var stored = AppliedRequests.With([], [Token(1)], Now);
        var ledger = new AppliedRequests(stored, Now);
        Assert.Equal(AppliedMatch.Applied, ledger.Find(Token(1)));
        Assert.Equal(AppliedMatch.Mismatch, ledger.Find(Token(1, "other")));
        Assert.Equal(AppliedMatch.None, ledger.Find(Token(2)));
        Assert.Equal(AppliedMatch.None, ledger.Find(null));

        ledger.Add(Token(2));
        ledger.Add(Token(2));
        Assert.Equal(AppliedMatch.Applied, ledger.Find(Token(2)));
        Assert.Single(ledger.Added);
    }

    [Fact]
    public void Applied_keys_lapse_after_24_hours_and_are_dropped_by_the_next_write()
    {
        var stored = AppliedRequests.With([], [Token(1)], Now);
        Assert.Equal(AppliedMatch.Applied, new AppliedRequests(stored, Now + IdempotencyLimits.Retention - TimeSpan.FromMilliseconds(1)).Find(Token(1)));
        var later = Now + IdempotencyLimits.Retention;
        Assert.Equal(AppliedMatch.None, new AppliedRequests(stored, later).Find(Token(1)));
        Assert.Equal([Token(2).Key], AppliedRequests.With(stored, [Token(2)], later).Select(r => r.Key));
    }

    [Theory]
    [InlineData(false, 24 * 60)]
    [InlineData(true, 2)]
    public void A_client_key_lapses_after_24_hours_and_a_key_the_gateway_assigned_after_2_minutes(bool assigned, int minutes)
    {
        var token = assigned ? IdempotencyToken.Assign() : Token(1);
        var stored = AppliedRequests.With([], [token], Now);
        Assert.Equal(AppliedMatch.Applied, new AppliedRequests(stored, Now + TimeSpan.FromMinutes(minutes) - TimeSpan.FromSeconds(1)).Find(token));
        Assert.Equal(AppliedMatch.None, new AppliedRequests(stored, Now + TimeSpan.FromMinutes(minutes)).Find(token));
    }

    [Fact]
    public void An_assigned_key_is_random_and_matches_no_other_request()
    {
        var (a, b) = (IdempotencyToken.Assign(), IdempotencyToken.Assign());
        Assert.True(a.Assigned);
        Assert.Matches("^[0-9a-f]{32}$", a.Key);
        Assert.NotEqual(a.Key, b.Key);
        Assert.Equal(AppliedMatch.None, new AppliedRequests(AppliedRequests.With([], [a], Now), Now).Find(b));
    }

    [Fact]
    public void The_config_grain_keeps_at_most_the_newest_thousand_keys_and_a_write_without_keys_keeps_the_list()
    {
        var stored = AppliedRequests.With([], Enumerable.Range(0, IdempotencyLimits.MaxAppliedRequests).Select(i => Token(i)).ToList(), Now);
        Assert.Same(stored, AppliedRequests.With(stored, [], Now + TimeSpan.FromDays(2)));

        var next = AppliedRequests.With(stored, [Token(5000)], Now);
        Assert.Equal(IdempotencyLimits.MaxAppliedRequests, next.Count);
        Assert.Equal(Token(1).Key, next[0].Key);
        Assert.Equal(Token(5000).Key, next[^1].Key);
    }

    [Fact]
    public void A_shard_keeps_at_most_its_count_and_body_budget_dropping_the_oldest()
    {
        var expires = (Now + TimeSpan.FromHours(1)).ToUnixTimeMilliseconds();
        StoredAnswer Answer(int i, int bytes) => new() { Key = Token(i).Key, ExpiresAt = expires, Body = new byte[bytes] };

        var full = Enumerable.Range(0, IdempotencyLimits.MaxResponsesPerShard).Select(i => Answer(i, 10)).ToList();
        var counted = IdempotencyGrain.Bounded(full, Answer(9999, 10), Now);
        Assert.Equal(IdempotencyLimits.MaxResponsesPerShard, counted.Count);
        Assert.Equal(Token(1).Key, counted[0].Key);

        var big = Enumerable.Range(0, 16).Select(i => Answer(i, IdempotencyLimits.MaxBodyBytes)).ToList(); // exactly 1 MiB
        var weighed = IdempotencyGrain.Bounded(big, Answer(9999, 100), Now);
        Assert.Equal(16, weighed.Count);
        Assert.Equal(Token(1).Key, weighed[0].Key);
        Assert.True(weighed.Sum(a => a.Body.Length) <= IdempotencyLimits.MaxShardBodyBytes);

        var lapsed = new StoredAnswer { Key = "old", ExpiresAt = Now.ToUnixTimeMilliseconds(), Body = Encoding.UTF8.GetBytes("{}") };
        Assert.DoesNotContain(IdempotencyGrain.Bounded([lapsed], Answer(1, 1), Now), a => a.Key == "old");
    }
}
