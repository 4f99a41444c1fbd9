using System.Text.Json.Nodes;
using CliProxy.Domain.Usage;

namespace CliProxy.Tests.Domain.Usage;

/// <summary>Aggregation of details (spec §1.5), token normalisation (§1.4), the de-duplication key (§1.9) and sources.</summary>
[Unit]
public sealed class UsageAggregationTests
{
    [Theory]
    [InlineData(10, 5, 0, 0, 0, 10, 5, 0, 0, 15)]
    [InlineData(10, 5, 3, 7, 0, 10, 5, 3, 7, 18)]
    [InlineData(0, 0, 0, 7, 0, 0, 0, 0, 7, 7)]
    [InlineData(1520, 430, 0, 12800, 1950, 1520, 430, 0, 12800, 1950)]
    [InlineData(10, 5, 0, 0, 99, 10, 5, 0, 0, 99)]
    [InlineData(-4, 5, -1, -2, -30, 0, 5, 0, 0, 5)]
    [InlineData(0, 0, 0, 0, 0, 0, 0, 0, 0, 0)]
    public void Tokens_are_normalised(long i, long o, long r, long c, long t, long ei, long eo, long er, long ec, long et) =>
        Assert.Equal(new UsageTokens(ei, eo, er, ec, et), new UsageTokens(i, o, r, c, t).Normalized());

    [Theory]
    [InlineData("sk-client", "POST /v1/messages", "claude", "sk-client")]
    [InlineData("", "POST /v1/messages", "claude", "POST /v1/messages")]
    [InlineData("", " ", "claude", "claude")]
    [InlineData("", "", "", "unknown")]
    public void The_api_identity_is_the_client_key_else_the_route_else_the_provider(string key, string route, string provider, string api)
    {
        var record = new UsageRecord(key, route, provider, " ", "", "", UsageTimestamp.Parse("2026-02-23T09:00:00Z"), default, false, -5);
        var detail = record.ToDetail();
        Assert.Equal(api, detail.Api);
        Assert.Equal("unknown", detail.Model);
        Assert.Equal(0, detail.LatencyMs);
    }

    [Fact]
    public void The_dedup_key_joins_the_fields_with_the_utc_timestamp()
    {
        var d = new UsageDetail("sk-a", "m", UsageTimestamp.Parse("2026-02-23T09:15:02.481236117+08:00"), "alice@example.com", "3f9a1c7e22b0d451",
            new UsageTokens(1520, 430, 0, 12800, 1950), false, 99, "claude");
        Assert.Equal("sk-a|m|2026-02-23T01:15:02.481236117Z|alice@example.com|3f9a1c7e22b0d451|false|1520|430|0|12800|1950", d.DedupKey);
        var sameInstantOtherOffset = d with { Timestamp = UsageTimestamp.Parse("2026-02-23T01:15:02.481236117Z"), LatencyMs = 1, Provider = "" };
        Assert.Equal(d.DedupHash(), sameInstantOtherOffset.DedupHash());
        Assert.NotEqual(d.DedupHash(), (d with { Failed = true }).DedupHash());
    }

    /// <summary>
    /// The hash is stored (the stores' unique index), so its bytes must never change: pinned for an ASCII detail, one with
    /// non-ASCII text and one longer than any stack buffer; the span overload writes the same bytes.
    /// </summary>
    [Theory]
    [InlineData("sk-a", "m", "alice@example.com", 1, "C6AA15FCC530AFBB77D77DEF68647010")]
    [InlineData("clé-ü", "模型-🙂", "bob@例え.jp", 1, "0B600BBFBAEF9CCD90985DF04398DEB4")]
    [InlineData("sk-long", "m", "carol@example.com", 3000, "6A3EC3DED03BCB1E1C058B5289A688C6")]
    public void The_dedup_hash_is_pinned_to_the_stored_format(string api, string model, string source, int repeat, string expectedHex)
    {
        var d = new UsageDetail(string.Concat(Enumerable.Repeat(api, repeat)), model, UsageTimestamp.Parse("2026-02-23T09:15:02.481236117+08:00"),
            source, "3f9a1c7e22b0d451", new UsageTokens(1520, 430, 0, 12800, 1950), false, 99, "claude");
        Assert.Equal(expectedHex, Convert.ToHexString(d.DedupHash()));
        var written = new byte[UsageDetail.DedupHashLength];
        d.DedupHash(written);
        Assert.Equal(expectedHex, Convert.ToHexString(written));
    }

    [Fact]
    public void Hours_are_kept_per_day_and_summed_only_for_the_reference_shape()
    {
        var totals = new UsageTotals();
        totals.Add(UsageKit.Detail("k", "m", new DateTimeOffset(2026, 2, 23, 1, 0, 0, TimeSpan.Zero), 10, 5)); // 09 local, day 23
        totals.Add(UsageKit.Detail("k", "m", new DateTimeOffset(2026, 2, 24, 1, 30, 0, TimeSpan.Zero), 1, 1, failed: true)); // 09 local, day 24
        totals.Add(UsageKit.Detail("k2", "m", new DateTimeOffset(2026, 2, 24, 2, 0, 0, TimeSpan.Zero), 0, 0)); // 10 local, day 24, 0 tokens
        var snapshot = JsonNode.Parse(UsageJson.Snapshot(totals, []))!;
        Mgmt.AssertJson("""{"2026-02-23":1,"2026-02-24":2}""", snapshot["requests_by_day"]);
        Mgmt.AssertJson("""{"09":2,"10":1}""", snapshot["requests_by_hour"]);
        Mgmt.AssertJson("""{"2026-02-23":15,"2026-02-24":2}""", snapshot["tokens_by_day"]);
        Mgmt.AssertJson("""{"09":17,"10":0}""", snapshot["tokens_by_hour"]);
        Mgmt.AssertJson("""
            {"requests_by_day_hour":{"2026-02-23":{"09":1},"2026-02-24":{"09":1,"10":1}},
             "tokens_by_day_hour":{"2026-02-23":{"09":15},"2026-02-24":{"09":2,"10":0}}}
            """, System.Text.Encoding.UTF8.GetString(UsageJson.DayHours(totals)));
        Assert.Equal((3, 2, 1, 17), (snapshot["total_requests"]!.GetValue<long>(), snapshot["success_count"]!.GetValue<long>(),
            snapshot["failure_count"]!.GetValue<long>(), snapshot["total_tokens"]!.GetValue<long>()));
        Mgmt.AssertJson("""{"total_requests":2,"total_tokens":17,"models":{"m":{"total_requests":2,"total_tokens":17,"details":[]}}}""", snapshot["apis"]!["k"]);
    }

    [Fact]
    public void An_empty_snapshot_has_every_map_as_an_empty_object()
    {
        Mgmt.AssertJson("""
            {"total_requests":0,"success_count":0,"failure_count":0,"total_tokens":0,"apis":{},
             "requests_by_day":{},"requests_by_hour":{},"tokens_by_day":{},"tokens_by_hour":{}}
            """, System.Text.Encoding.UTF8.GetString(UsageJson.Snapshot(new UsageTotals(), [])));
    }

    [Fact]
    public void A_clone_is_independent_and_round_trips_through_json()
    {
        var totals = new UsageTotals();
        totals.Add(UsageKit.Detail("k", "m", new DateTimeOffset(2026, 2, 23, 1, 0, 0, TimeSpan.Zero)));
        var copy = totals.Clone();
        copy.Add(UsageKit.Detail("k", "m", new DateTimeOffset(2026, 2, 23, 2, 0, 0, TimeSpan.Zero)));
        Assert.Equal(1, totals.TotalRequests);
        Assert.Equal(1, totals.Apis["k"].Models["m"].TotalRequests);
        Assert.Equal(1, totals.Days["2026-02-23"].Requests[9]);
        var json = System.Text.Json.JsonSerializer.Serialize(copy);
        var back = System.Text.Json.JsonSerializer.Deserialize<UsageTotals>(json)!;
        Assert.Equal(UsageJson.Snapshot(copy, []), UsageJson.Snapshot(back, []));
    }

    [Fact]
    public void The_recent_window_keeps_the_newest_in_order()
    {
        var window = new RecentDetails(3);
        var details = Enumerable.Range(0, 5).Select(i => UsageKit.Detail("k", "m", new DateTimeOffset(2026, 2, 23, 1, i, 0, TimeSpan.Zero))).ToList();
        window.AddRange(details.Take(2));
        Assert.Equal(details.Take(2), window.Items());
        window.AddRange(details.Skip(2));
        Assert.Equal(details.Skip(2), window.Items());
        var none = new RecentDetails(0);
        none.AddRange(details);
        Assert.Empty(none.Items());
    }

    [Theory]
    [InlineData("AIzaSyEXAMPLE-not-a-real-key-0000000", "AIza...0000")]
    [InlineData("sk-proj-abcdefghijkl", "sk-p...ijkl")]
    [InlineData("configured-upstream-key", "conf...-key")]
    [InlineData("alice@example.com", "alice@example.com")]
    [InlineData("gemini-dave@example.com-my-project-123.json", "gemini-dave@example.com-my-project-123.json")]
    [InlineData("my-project-123", "my-project-123")]
    [InlineData("sk-x", "sk-x")]
    [InlineData("AIza...0000", "AIza...0000")]
    public void Imported_sources_that_are_upstream_keys_are_masked(string source, string stored) =>
        Assert.Equal(stored, UsageSource.ForImport(source, new HashSet<string> { "configured-upstream-key" }));

    [Theory]
    [InlineData("abcdefghij", "abcd...ghij")]
    [InlineData("abcdefgh", "ab...gh")]
    [InlineData("abcde", "ab...de")]
    [InlineData("abcd", "a...d")]
    [InlineData("abc", "a...c")]
    [InlineData("ab", "ab")]
    public void Live_upstream_key_sources_are_masked_like_the_logs_do(string key, string masked) => Assert.Equal(masked, UsageSource.UpstreamKey(key));
}
