using System.Collections.Immutable;
using CliProxy.Domain.Config;
using CliProxy.Domain.Config.Settings;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Catalogue;
using CliProxy.Domain.Proxy.Routing;

namespace CliProxy.Tests.Domain.Proxy;

/// <summary>Selection (spec usage §5.3 steps 3–4), extra rounds (§5.5), model names and error values.</summary>
[Unit]
public sealed class RoutingRulesTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static ModelRoute Route(string id, long priority = 0, string provider = "p", int? requestRetry = null) =>
        new(new UpstreamCredential(id, id, provider, UpstreamProtocol.OpenAIChat, new UpstreamSecret.ApiKey(id), "", System.Collections.Frozen.FrozenDictionary<string, string>.Empty,
            "", "", priority, "", null, requestRetry), "m");

    [Theory]
    [InlineData("gemini-2.5-pro(8192)", "gemini-2.5-pro", "(8192)")]
    [InlineData("gpt-5(high)", "gpt-5", "(high)")]
    [InlineData(" plain ", "plain", "")]
    [InlineData("(odd)", "(odd)", "")]
    public void A_thinking_suffix_is_split_from_the_routing_name(string model, string name, string suffix) =>
        Assert.Equal(new ModelName(name, suffix), ModelName.Parse(model));

    [Fact]
    public void Candidates_are_the_highest_priority_group_sorted_by_id_without_tried_or_blocked_ones()
    {
        var board = new InMemoryCooldownBoard();
        board.Block("c", "m", Now.AddSeconds(5), quota: true);
        ImmutableArray<ModelRoute> routes = [Route("d", 1), Route("b", 1), Route("a", 0), Route("c", 1), Route("e", 1)];
        var set = CandidateSet.Of(routes, ["e"], static (_, _) => true, 0, board, "m", Now);
        Assert.Equal(["b", "d"], set.Eligible.Select(r => r.Credential.Id));
        Assert.Equal(1, set.Blocked);
    }

    [Fact]
    public void A_higher_priority_later_in_the_list_replaces_the_group_and_unserved_credentials_are_left_out()
    {
        ImmutableArray<ModelRoute> routes = [Route("x", 0), Route("z", 2), Route("w", 2), Route("y", 2), Route("v", 3)];
        var set = CandidateSet.Of(routes, [], static (c, unserved) => c.Id != unserved, "v", new InMemoryCooldownBoard(), "m", Now);
        Assert.Equal(["w", "y", "z"], set.Eligible.Select(r => r.Credential.Id));
        Assert.Equal(0, set.Blocked);
    }

    [Fact]
    public void All_blocked_for_quota_reports_the_earliest_reset()
    {
        var board = new InMemoryCooldownBoard();
        board.Block("a", "m", Now.AddSeconds(30), quota: true);
        board.Block("b", "m", Now.AddSeconds(10), quota: true);
        var set = CandidateSet.Of([Route("a"), Route("b")], [], static (_, _) => true, 0, board, "m", Now);
        Assert.Equal((0, true, Now.AddSeconds(10)), (set.Eligible.Length, set.AllQuota, set.EarliestReset!.Value));
        board.Block("b", "m", Now.AddSeconds(10), quota: false);
        Assert.False(CandidateSet.Of([Route("a"), Route("b")], [], static (_, _) => true, 0, board, "m", Now).AllQuota);
    }

    [Theory]
    [InlineData(RoutingStrategy.RoundRobin, "a,b,c,a,b,c")]
    [InlineData(RoutingStrategy.FillFirst, "a,a,a,a,a,a")]
    public void The_strategy_rotates_or_fills_first(RoutingStrategy strategy, string expected)
    {
        var picker = new CredentialPicker();
        var candidates = new[] { Route("a"), Route("b"), Route("c") };
        Assert.Equal(expected, string.Join(',', Enumerable.Range(0, 6).Select(_ => picker.Pick(candidates, strategy, "p:m").Credential.Id)));
    }

    [Fact]
    public void Two_nodes_rotating_independently_spread_evenly_over_the_sorted_list()
    {
        var (one, two) = (new CredentialPicker(), new CredentialPicker());
        var candidates = new[] { Route("a"), Route("b"), Route("c") };
        var counts = new Dictionary<string, int>();
        var random = new Random(7);
        for (var i = 0; i < 3000; i++)
        {
            var id = (random.Next(2) == 0 ? one : two).Pick(candidates, RoutingStrategy.RoundRobin, "p:m").Credential.Id;
            counts[id] = counts.GetValueOrDefault(id) + 1;
        }
        Assert.All(counts.Values, n => Assert.InRange(n, 900, 1100));
    }

    [Fact]
    public void The_cursor_key_names_the_provider_or_mixed() =>
        Assert.Equal(("p:m", "mixed:m"), (CredentialPicker.KeyOf([Route("a"), Route("b")], "m"), CredentialPicker.KeyOf([Route("a"), Route("b", provider: "q")], "m")));

    [Fact]
    public void Another_round_waits_for_the_shortest_block_within_the_interval_and_the_retry_budget()
    {
        var board = new InMemoryCooldownBoard();
        board.Block("a", "m", Now.AddSeconds(20), quota: true);
        board.Block("b", "m", Now.AddSeconds(3), quota: true);
        var routes = new[] { Route("a"), Route("b") };
        Assert.Equal(TimeSpan.FromSeconds(3), RetryRounds.NextWait(routes, board, "m", Now, 0, 2, TimeSpan.FromSeconds(30)));
        Assert.Null(RetryRounds.NextWait(routes, board, "m", Now, 2, 2, TimeSpan.FromSeconds(30)));
        Assert.Null(RetryRounds.NextWait(routes, board, "m", Now, 0, 2, TimeSpan.Zero));
        Assert.Null(RetryRounds.NextWait(routes, board, "m", Now, 0, 2, TimeSpan.FromSeconds(2)));
        Assert.Equal(TimeSpan.FromSeconds(20), RetryRounds.NextWait([Route("a"), Route("b", requestRetry: 0)], board, "m", Now, 0, 2, TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void The_cooldown_answer_is_429_model_cooldown_with_go_duration()
    {
        var error = ProxyError.Cooldown("m", "claude", TimeSpan.FromSeconds(90));
        Assert.Equal((429, 90L), (error.Status, error.RetryAfterSeconds!.Value));
        Assert.Equal("""{"error":{"code":"model_cooldown","message":"All credentials for model m are cooling down via provider claude","model":"m","reset_time":"1m30s","reset_seconds":90,"provider":"claude"}}""",
            System.Text.Encoding.UTF8.GetString(error.Body));
    }

    [Fact]
    public void An_upstream_error_is_passed_verbatim_when_json_else_wrapped()
    {
        var json = ProxyError.Upstream(new UpstreamFailure(429, """{"error":"slow"}"""u8.ToArray(), "application/json", null));
        Assert.Equal((429, """{"error":"slow"}"""), (json.Status, System.Text.Encoding.UTF8.GetString(json.Body)));
        var text = ProxyError.Upstream(new UpstreamFailure(0, [], "", null, "connection refused"));
        Assert.Equal((502, "connection refused"), (text.Status, (string)System.Text.Json.Nodes.JsonNode.Parse(text.Body)!["error"]!["message"]!));
        Assert.True(new UpstreamFailure(400, """{"error":{"type":"invalid_request_error"}}"""u8.ToArray(), "", null).IsInvalidRequest);
        Assert.False(new UpstreamFailure(400, "bad"u8.ToArray(), "", null).IsInvalidRequest);
    }

    [Fact]
    public void Settings_reach_the_rules() =>
        Assert.Equal((RoutingStrategy.FillFirst, 3L, TimeSpan.FromSeconds(30)),
            (ConfigDocument.Load("routing:\n  strategy: ff\nrequest-retry: 3\nmax-retry-interval: 30\n").Settings is var s ? (s.RoutingStrategy, s.RequestRetry, s.MaxRetryInterval) : default));
}
