using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Settings;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Routing;
using CliProxy.Domain.Proxy.Upstreams;

namespace CliProxy.Tests.Domain.Proxy.Upstreams;

/// <summary>
/// The config's <c>payload</c> rules on upstream bodies (the reference's <c>applyPayloadConfig</c>): which rules match,
/// defaults only where absent (first wins), overrides always (last wins), raw JSON values, filters, and the paths.
/// </summary>
[Unit]
public sealed class PayloadRulesTests
{
    private static PayloadSettings Rules(string json) => new ConfigSettings(new JsonObject { ["payload"] = JsonNode.Parse(json) }).Payload;

    private static JsonObject Apply(string rules, string body, string upstream = "gpt-5", string requested = "gpt-5",
        UpstreamProtocol protocol = UpstreamProtocol.OpenAIChat) =>
        JsonNode.Parse(Encoding.UTF8.GetString(PayloadRules.Apply(Encoding.UTF8.GetBytes(body), Rules(rules), protocol, upstream, ModelName.Parse(requested)).Span))!.AsObject();

    [Theory]
    [InlineData("gpt-5", "gpt-5", "gpt-*", true)]
    [InlineData("gpt-5", "fast", "fast", true)] // the alias the client asked for
    [InlineData("gpt-5", "fast(high)", "fast(high)", true)] // as sent, with its thinking suffix
    [InlineData("gpt-5", "fast(high)", "fast", true)] // without it
    [InlineData("gpt-5", "gpt-5", "GPT-5", false)] // case-sensitive, as the reference's matcher
    [InlineData("gpt-5", "gpt-5", "*-4", false)]
    [InlineData("gpt-5", "gpt-5", "", false)]
    public void A_rule_matches_the_upstream_model_or_the_requested_one(string upstream, string requested, string pattern, bool matches)
    {
        var body = Apply($$$"""{"override":[{"models":[{"name":"{{{pattern}}}"}],"params":{"n":2}}]}""", """{"n":1}""", upstream, requested);
        Assert.Equal(matches ? 2 : 1, (int)body["n"]!);
    }

    [Theory]
    [InlineData("openai", UpstreamProtocol.OpenAIChat, true)]
    [InlineData("OpenAI", UpstreamProtocol.OpenAIChat, true)]
    [InlineData("claude", UpstreamProtocol.OpenAIChat, false)]
    [InlineData("codex", UpstreamProtocol.OpenAIResponses, true)]
    [InlineData("gemini", UpstreamProtocol.Gemini, true)]
    [InlineData("claude", UpstreamProtocol.ClaudeMessages, true)]
    [InlineData("", UpstreamProtocol.ClaudeMessages, true)]
    public void A_rule_with_a_protocol_applies_to_that_upstream_format_only(string protocol, UpstreamProtocol upstream, bool applies)
    {
        var body = Apply($$$"""{"override":[{"models":[{"name":"*","protocol":"{{{protocol}}}"}],"params":{"n":2}}]}""", """{"n":1}""", protocol: upstream);
        Assert.Equal(applies ? 2 : 1, (int)body["n"]!);
    }

    [Fact]
    public void Defaults_fill_only_what_is_absent_and_the_first_matching_rule_wins()
    {
        var body = Apply("""
            {"default":[{"models":[{"name":"*"}],"params":{"temperature":0.5,"top_p":0.9,"stop":"x","generationConfig.thinkingConfig.thinkingBudget":2048}},
                        {"models":[{"name":"gpt-*"}],"params":{"top_p":0.1}}],
             "default-raw":[{"models":[{"name":"*"}],"params":{"top_p":"0.2","response_format":"{\"type\":\"json_object\"}"}}]}
            """, """{"temperature":1,"stop":null}""");

        Assert.Equal(1, (double)body["temperature"]!);
        Assert.Equal(0.9, (double)body["top_p"]!);
        Assert.True(body.ContainsKey("stop") && body["stop"] is null, "an explicit null is present: no default");
        Assert.Equal(2048, (int)body["generationConfig"]!["thinkingConfig"]!["thinkingBudget"]!);
        Assert.Equal("json_object", (string?)body["response_format"]!["type"]);
    }

    [Fact]
    public void Defaults_look_at_the_body_as_it_came_not_as_earlier_rules_left_it()
    {
        var body = Apply("""{"default":[{"models":[{"name":"*"}],"params":{"a.b":1}},{"models":[{"name":"*"}],"params":{"a":{"c":2}}}]}""", """{}""");
        Assert.Equal("""{"c":2}""", body["a"]!.ToJsonString());
    }

    [Fact]
    public void A_rule_that_changes_nothing_keeps_the_bytes()
    {
        var sent = Encoding.UTF8.GetBytes("""{ "n" : 1, "m": [ ] }""");
        var rules = Rules("""{"default":[{"models":[{"name":"*"}],"params":{"n":2}}],"filter":[{"models":[{"name":"*"}],"params":["absent","m.0"]}]}""");
        Assert.Equal(sent, PayloadRules.Apply(sent, rules, UpstreamProtocol.OpenAIChat, "gpt-5", ModelName.Parse("gpt-5")).ToArray());
    }

    [Fact]
    public void Overrides_always_set_and_the_last_matching_rule_wins()
    {
        var body = Apply("""
            {"override":[{"models":[{"name":"*"}],"params":{"max_tokens":10,"tools":[]}},{"models":[{"name":"gpt-5"}],"params":{"max_tokens":20}}],
             "override-raw":[{"models":[{"name":"*"}],"params":{"reasoning":"{\"effort\":\"high\"}","broken":"{nope","count":3}}]}
            """, """{"max_tokens":5}""");

        Assert.Equal(20, (int)body["max_tokens"]!);
        Assert.Empty(body["tools"]!.AsArray());
        Assert.Equal("high", (string?)body["reasoning"]!["effort"]);
        Assert.False(body.ContainsKey("broken"), "raw text that is no JSON is skipped");
        Assert.Equal(3, (int)body["count"]!);
    }

    [Fact]
    public void Filters_remove_paths_and_array_items()
    {
        var body = Apply("""{"filter":[{"models":[{"name":"*"}],"params":["metadata","messages.-1.cache_control","messages.0","messages.-1","a.b.c","absent.path"]}]}""",
            """{"metadata":{"user_id":"u"},"messages":[{"role":"system"},{"role":"user","cache_control":{}},{"role":"assistant","cache_control":{}}],"a":{"b":{"c":1,"d":2}}}""");

        Assert.False(body.ContainsKey("metadata"));
        Assert.Equal("""{"role":"user","cache_control":{}}""", Assert.Single(body["messages"]!.AsArray())!.ToJsonString()); // -1 is the last item at every level
        Assert.Equal("""{"d":2}""", body["a"]!["b"]!.ToJsonString());
    }

    [Theory]
    [InlineData("a\\.b", """{"a.b":1}""")]
    [InlineData("list.1.x", """{"list":[{},{"x":1}]}""")]
    [InlineData("list.-1", """{"list":[{},{},1]}""")]
    [InlineData("list.2", """{"list":[{},{},1]}""")]
    [InlineData("list.4", """{"list":[{},{},null,null,1]}""")] // padded with nulls, as sjson does
    [InlineData("list.x", """{"list":[{},{}]}""")]
    [InlineData("list.0.k", """{"list":[{"k":1},{}]}""")]
    [InlineData("deep.er.est", """{"list":[{},{}],"deep":{"er":{"est":1}}}""")]
    [InlineData("tools.-1", """{"list":[{},{}],"tools":[1]}""")] // a missing parent under a number is an array
    [InlineData("tools.0.x", """{"list":[{},{}],"tools":[{"x":1}]}""")]
    [InlineData("list.5000", """{"list":[{},{}]}""")] // more than MaxPadding nulls: skipped
    [InlineData("list.+1", """{"list":[{},{}]}""")] // not an index for sjson: a key, and arrays have none
    [InlineData("-1", """{"list":[{},{}],"-1":1}""")] // on an object, a key
    public void Paths_name_keys_items_and_appends(string path, string expected)
    {
        var rules = $$$"""{"override":[{"models":[{"name":"*"}],"params":{"{{{path.Replace("\\", "\\\\")}}}":1}}]}""";
        var body = Apply(rules, """{"list":[{},{}]}""");
        var want = JsonNode.Parse(expected)!.AsObject();
        if (!want.ContainsKey("list")) want["list"] = JsonNode.Parse("[{},{}]");
        Assert.True(JsonNode.DeepEquals(want, body), body.ToJsonString());
    }

    [Fact]
    public void Text_is_written_back_as_it_came_and_a_body_that_cannot_be_is_sent_unchanged()
    {
        var body = Apply("""{"override":[{"models":[{"name":"*"}],"params":{"n":2}}]}""", """{"n":1,"text":"système 日本 a+b <i>"}""");
        Assert.Equal("""{"n":2,"text":"système 日本 a+b <i>"}""", body.ToJsonString(JsonBody.Unescaped));

        var surrogate = Encoding.UTF8.GetBytes("""{"n":1,"text":"\ud800"}""");
        Assert.Equal(surrogate, PayloadRules.Apply(surrogate, Rules("""{"override":[{"models":[{"name":"*"}],"params":{"n":2}}]}"""),
            UpstreamProtocol.OpenAIChat, "gpt-5", ModelName.Parse("gpt-5")).ToArray());
    }

    [Fact]
    public void No_matching_rule_or_a_body_that_is_no_object_keeps_the_bytes()
    {
        var rules = Rules("""{"override":[{"models":[{"name":"other"}],"params":{"n":2}}],"filter":[{"models":[{"name":"*"}],"params":["n"]}]}""");
        var sent = Encoding.UTF8.GetBytes("""{ "n" : 1 }""");
        Assert.Equal(sent, PayloadRules.Apply(sent, Rules("""{"override":[{"models":[{"name":"other"}],"params":{"n":2}}]}"""),
            UpstreamProtocol.OpenAIChat, "gpt-5", ModelName.Parse("gpt-5")).ToArray());
        var array = Encoding.UTF8.GetBytes("[1]");
        Assert.Equal(array, PayloadRules.Apply(array, rules, UpstreamProtocol.OpenAIChat, "gpt-5", ModelName.Parse("gpt-5")).ToArray());
        Assert.False(PayloadRules.Any(Rules("{}")));
        Assert.True(PayloadRules.Any(rules));
    }
}
