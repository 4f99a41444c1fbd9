using System.Text.Json.Nodes;
using CliProxy.Domain.Usage;

namespace CliProxy.Tests.Domain.Usage;

/// <summary>Decoding of <c>POST /usage/import</c> bodies (spec §1.9) and recomputing the fixture's aggregates from its details.</summary>
[Unit]
public sealed class UsageImportTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static UsageImportPayload Parse(string body) => UsageImport.Parse(body, Now, TimeZoneInfo.Utc, new HashSet<string>());

    [Fact]
    public void The_fixture_recomputes_to_its_own_aggregates()
    {
        var payload = Parse(UsageKit.FixtureText);
        Assert.Null(payload.Error);
        Assert.Equal(7, payload.Details.Count);
        var totals = new UsageTotals();
        foreach (var d in payload.Details) totals.Add(d);
        var snapshot = JsonNode.Parse(UsageJson.Snapshot(totals, payload.Details))!;
        Mgmt.AssertJson(UsageKit.FixtureUsageAsStored().ToJsonString(), snapshot);
        // The spec's figures (§1.6): 7 requests, 6 successes, 1 failure, 17,947 tokens.
        Assert.Equal((7, 6, 1, 17947), (totals.TotalRequests, totals.SuccessCount, totals.FailureCount, totals.TotalTokens));
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("\"x\"")]
    [InlineData("""{"version":"1"}""")]
    [InlineData("""{"version":1.0}""")]
    [InlineData("""{"version":1,"usage":[]}""")]
    [InlineData("""{"usage":{"total_requests":"7"}}""")]
    [InlineData("""{"usage":{"requests_by_day":{"2026-02-23":"4"}}}""")]
    [InlineData("""{"usage":{"apis":[]}}""")]
    [InlineData("""{"usage":{"apis":{"k":{"models":{"m":{"details":{}}}}}}}""")]
    [InlineData("""{"usage":{"apis":{"k":{"models":{"m":{"details":[{"timestamp":"yesterday"}]}}}}}}""")]
    [InlineData("""{"usage":{"apis":{"k":{"models":{"m":{"details":[{"timestamp":5}]}}}}}}""")]
    [InlineData("""{"usage":{"apis":{"k":{"models":{"m":{"details":[{"failed":"true"}]}}}}}}""")]
    [InlineData("""{"usage":{"apis":{"k":{"models":{"m":{"details":[{"tokens":{"input_tokens":1.5}}]}}}}}}""")]
    [InlineData("""{"usage":{"apis":{"k":{"models":{"m":{"details":[{"source":7}]}}}}}}""")]
    [InlineData("""{"version":7,"usage":{"total_requests":"x"}}""")]
    public void Malformed_or_mistyped_bodies_are_invalid_json(string body) => Assert.Equal(UsageImport.InvalidJson, Parse(body).Error);

    [Theory]
    [InlineData("""{"version":2}""")]
    [InlineData("""{"version":-1,"usage":{}}""")]
    public void Versions_other_than_0_and_1_are_unsupported(string body) => Assert.Equal(UsageImport.UnsupportedVersion, Parse(body).Error);

    [Theory]
    [InlineData("null", 0)]
    [InlineData("{}", 0)]
    [InlineData("""{"version":null,"usage":null}""", 0)]
    [InlineData("""{"VERSION":1,"Usage":{"APIS":{"k":{"Models":{"m":{"Details":[{"Timestamp":"2026-02-23T09:00:00Z"}]}}}}}}""", 1)]
    [InlineData("""{"version":0,"exported_at":5,"extra":[1],"usage":{"apis":{"k":{"models":{"m":{"details":[null]}}}}}}""", 1)]
    public void Accepted_bodies(string body, int details)
    {
        var payload = Parse(body);
        Assert.Null(payload.Error);
        Assert.Equal(details, payload.Details.Count);
    }

    [Fact]
    public void Names_are_trimmed_blank_apis_skipped_and_blank_models_unknown()
    {
        var payload = Parse("""
            {"usage":{"apis":{
              "  ":{"models":{"m":{"details":[{"timestamp":"2026-02-23T09:00:00Z"}]}}},
              " k ":{"models":{" ":{"details":[{"timestamp":"2026-02-23T09:00:00Z","tokens":{"input_tokens":3,"output_tokens":4,"total_tokens":-9},"latency_ms":-3}]}}}}}}
            """);
        var d = Assert.Single(payload.Details);
        Assert.Equal(("k", "unknown"), (d.Api, d.Model));
        Assert.Equal(new UsageTokens(3, 4, 0, 0, 7), d.Tokens);
        Assert.Equal(0, d.LatencyMs);
    }

    [Fact]
    public void A_detail_without_timestamp_takes_exported_at_so_that_a_second_import_finds_it()
    {
        const string body = """{"exported_at":"2026-02-24T03:12:45.118204Z","usage":{"apis":{"k":{"models":{"m":{"details":[{},{"timestamp":"0001-01-01T00:00:00Z"}]}}}}}}""";
        var first = Parse(body).Details;
        var second = UsageImport.Parse(body, Now.AddHours(5), TimeZoneInfo.Utc, new HashSet<string>()).Details;
        Assert.All(first, d => Assert.Equal("2026-02-24T03:12:45.118204Z", d.Timestamp.Text));
        Assert.Equal(first.Select(d => d.DedupKey), second.Select(d => d.DedupKey));
        var withoutExportTime = Parse("""{"usage":{"apis":{"k":{"models":{"m":{"details":[{}]}}}}}}""").Details;
        Assert.Equal(Now, Assert.Single(withoutExportTime).Timestamp.Instant);
    }

    [Fact]
    public void Configured_upstream_keys_are_masked_in_imported_sources()
    {
        var payload = UsageImport.Parse("""{"usage":{"apis":{"k":{"models":{"m":{"details":[{"timestamp":"2026-02-23T09:00:00Z","source":"plain-upstream-secret"}]}}}}}}""",
            Now, TimeZoneInfo.Utc, new HashSet<string> { "plain-upstream-secret" });
        Assert.Equal("plai...cret", Assert.Single(payload.Details).Source);
    }
}
