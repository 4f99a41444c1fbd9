using System.Collections.Immutable;
using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Settings;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Routing;
using CliProxy.Domain.Proxy.Upstreams;
using static CliProxy.Tests.Domain.Proxy.Upstreams.ExecutorTestData;

namespace CliProxy.Tests.Domain.Proxy.Upstreams;

/// <summary>
/// Claude Code cloaking of the bodies of clients that are not Claude Code (the reference's <c>applyCloaking</c>, with a
/// string system prompt kept instead of replaced): when it applies, the identity line, the user id, the sensitive words,
/// and what stays byte for byte.
/// </summary>
[Unit]
public sealed class ClaudeCloakTests
{
    private static CloakSettings Cloak(string mode = "", bool strict = false, bool? cacheUserId = null, params string[] words) =>
        new(mode, strict, [.. words], cacheUserId);

    private static JsonObject Apply(string body, CloakSettings? settings = null, string model = "claude-sonnet-4-5", string secret = "sk-a") =>
        JsonNode.Parse(Encoding.UTF8.GetString(ClaudeCloak.Apply(Encoding.UTF8.GetBytes(body), settings, model, secret).Span))!.AsObject();

    private static string SystemTexts(JsonObject body) => string.Join(" | ", body["system"]!.AsArray().Select(b => (string?)b!["text"]));

    [Theory]
    [InlineData(null, null, true)]
    [InlineData(null, "", true)]
    [InlineData(null, "OpenCode/1.0", true)]
    [InlineData(null, "claude-cli/2.1.44 (external, cli)", false)]
    [InlineData("auto", "claude-cli/2.1.44 (external, cli)", false)]
    [InlineData("AUTO", "Cline/3.0", true)]
    [InlineData("always", "claude-cli/2.1.44 (external, cli)", true)]
    [InlineData("never", "Cline/3.0", false)]
    [InlineData("sometimes", "Cline/3.0", true)]
    public void Cloaking_applies_to_clients_that_are_not_Claude_Code_unless_the_mode_says_otherwise(string? mode, string? userAgent, bool applies) =>
        Assert.Equal(applies, ClaudeCloak.Applies(mode is null ? null : Cloak(mode), userAgent));

    [Theory]
    [InlineData("""{"model":"m","messages":[]}""", "You are Claude Code, Anthropic's official CLI for Claude.")]
    [InlineData("""{"model":"m","system":"Be brief.","messages":[]}""", "You are Claude Code, Anthropic's official CLI for Claude. | Be brief.")]
    [InlineData("""{"model":"m","system":[{"type":"text","text":"Be brief."},{"type":"text","text":"Use tools."}],"messages":[]}""",
        "You are Claude Code, Anthropic's official CLI for Claude. | Be brief. | Use tools.")]
    [InlineData("""{"model":"m","system":[{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude."},{"type":"text","text":"Be brief."}],"messages":[]}""",
        "You are Claude Code, Anthropic's official CLI for Claude. | Be brief.")]
    public void The_identity_line_leads_the_system_prompt(string body, string expected) =>
        Assert.Equal(expected, SystemTexts(Apply(body)));

    [Fact]
    public void Strict_mode_keeps_only_the_identity_line_and_haiku_3_5_gets_none()
    {
        Assert.Equal(ClaudeCloak.Identity, SystemTexts(Apply("""{"system":"Be brief.","messages":[]}""", Cloak(strict: true))));
        Assert.Equal("Be brief.", (string?)Apply("""{"system":"Be brief.","messages":[]}""", model: "claude-3-5-haiku-20241022")["system"]);
    }

    [Fact]
    public void A_user_id_is_set_unless_the_client_sent_one_of_Claude_Codes_shape()
    {
        var fresh = (string?)Apply("""{"metadata":{"trace":"t1"},"messages":[]}""")["metadata"]!["user_id"];
        Assert.True(ClaudeCloak.IsUserId(fresh), fresh);
        Assert.Equal("t1", (string?)Apply("""{"metadata":{"trace":"t1"},"messages":[]}""")["metadata"]!["trace"]);
        Assert.True(ClaudeCloak.IsUserId((string?)Apply("""{"metadata":{"user_id":"me"},"messages":[]}""")["metadata"]!["user_id"]));

        var own = ClaudeCloak.UserId("another key");
        Assert.Equal(own, (string?)Apply($$"""{"metadata":{"user_id":"{{own}}"},"messages":[]}""")["metadata"]!["user_id"]);
    }

    [Fact]
    public void Cache_user_id_gives_each_credential_one_id_and_otherwise_every_request_its_own()
    {
        string IdOf(CloakSettings? settings, string secret) => (string)Apply("""{"messages":[]}""", settings, secret: secret)["metadata"]!["user_id"]!;

        Assert.Equal(IdOf(Cloak(cacheUserId: true), "sk-a"), IdOf(Cloak(cacheUserId: true), "sk-a"));
        Assert.NotEqual(IdOf(Cloak(cacheUserId: true), "sk-a"), IdOf(Cloak(cacheUserId: true), "sk-b"));
        Assert.NotEqual(IdOf(null, "sk-a"), IdOf(null, "sk-a"));
    }

    [Fact]
    public void Sensitive_words_get_a_zero_width_space_in_system_and_message_texts_only()
    {
        var body = Apply("""
            {"system":"Route via the Proxy.","messages":[
              {"role":"user","content":"my proxy and PROXY-2"},
              {"role":"user","content":[{"type":"text","text":"proxy"},{"type":"image","source":{"data":"proxy"}}]},
              {"role":"assistant","content":[{"type":"tool_use","name":"proxy","input":{}}]}]}
            """, Cloak(words: ["proxy", "x", " "]));

        Assert.Equal($"{ClaudeCloak.Identity} | Route via the P\u200Broxy.", SystemTexts(body));
        var messages = body["messages"]!.AsArray();
        Assert.Equal("my p\u200Broxy and P\u200BROXY-2", (string?)messages[0]!["content"]);
        Assert.Equal("p\u200Broxy", (string?)messages[1]!["content"]![0]!["text"]);
        Assert.Equal("proxy", (string?)messages[1]!["content"]![1]!["source"]!["data"]);
        Assert.Equal("proxy", (string?)messages[2]!["content"]![0]!["name"]);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("never")]
    [InlineData("claude-cli/2.1.44 (external, cli)")]
    public void Count_tokens_always_gets_the_identity_line_only_and_the_rest_keeps_its_bytes(string? modeOrAgent)
    {
        const string messages = """[ {"role":"user","content":"hi  there"} ]""";
        var credential = Credential("claude", UpstreamProtocol.ClaudeMessages) with
        {
            Claude = new ClaudeUpstreamSettings(ClaudeHeaderDefaults.None, modeOrAgent == "never" ? Cloak("never", strict: true) : null),
        };
        (string, string)[] headers = modeOrAgent?.StartsWith("claude-cli", StringComparison.Ordinal) == true ? [("User-Agent", modeOrAgent)] : [];
        var request = new ClaudeExecutor(new UpstreamOptions()).Build(credential, "sk",
            Call(ClientProtocol.ClaudeCountTokens, $$"""{"model":"m","system":"Be brief.","messages":{{messages}},"max_tokens":  10}""", false, headers), "m");
        var cloaked = Body(request);

        Assert.Contains($"\"messages\":{messages},\"max_tokens\":  10}}", cloaked);
        Assert.False(JsonNode.Parse(cloaked)!.AsObject().ContainsKey("metadata"));
        Assert.Equal($"{ClaudeCloak.Identity} | Be brief.", SystemTexts(JsonNode.Parse(cloaked)!.AsObject())); // never strict, as the reference's
    }

    [Fact]
    public void A_system_block_with_odd_text_keeps_its_place_behind_the_identity_line()
    {
        var body = Apply("""{"system":[{"type":"text","text":5}],"messages":[]}""");
        Assert.Equal("""[{"type":"text","text":"You are Claude Code, Anthropic's official CLI for Claude."},{"type":"text","text":5}]""",
            body["system"]!.ToJsonString(JsonBody.Unescaped));
    }

    [Fact]
    public void A_content_block_with_an_odd_type_is_passed_over_and_the_rest_is_cloaked()
    {
        var body = Apply("""{"messages":[{"role":"user","content":[{"type":1,"text":"proxy"},{"type":"text","text":"proxy"}]}]}""", Cloak(words: ["proxy"]));
        Assert.Equal(ClaudeCloak.Identity, SystemTexts(body));
        var content = body["messages"]![0]!["content"]!.AsArray();
        Assert.Equal(("""{"type":1,"text":"proxy"}""", "p\u200Broxy"), (content[0]!.ToJsonString(), (string?)content[1]!["text"]));
    }

    [Fact]
    public void Payload_rules_run_after_the_cloak_and_before_the_body_betas_move()
    {
        var rules = new ConfigSettings(JsonNode.Parse("""
            {"payload":{"override":[{"models":[{"name":"claude-*"}],"params":{"metadata.user_id":"abc","betas":["files-api-2025-04-14"]}}],
                        "filter":[{"models":[{"name":"claude-*"}],"params":["system"]}]}}
            """)!.AsObject()).Payload;
        var call = Call(ClientProtocol.ClaudeMessages, """{"model":"c","system":"Mine.","messages":[]}""") with
        {
            BodyRules = body => PayloadRules.Apply(body, rules, UpstreamProtocol.ClaudeMessages, "claude-sonnet-4-5", ModelName.Parse("c")),
        };
        var request = new ClaudeExecutor(new UpstreamOptions()).Build(Credential("claude", UpstreamProtocol.ClaudeMessages), "sk", call, "claude-sonnet-4-5");

        var sent = JsonNode.Parse(Body(request))!.AsObject();
        Assert.Equal("abc", (string?)sent["metadata"]!["user_id"]); // the rule's, over the cloak's
        Assert.False(sent.ContainsKey("system") || sent.ContainsKey("betas"), sent.ToJsonString());
        Assert.Equal("files-api-2025-04-14", Header(request, "anthropic-beta"));
    }

    [Theory]
    [InlineData("""{"system":"abc\ud800","messages":[]}""")]
    [InlineData("""{"system":"ok","messages":[{"role":"user","content":"proxy \ud800"}]}""")]
    public void A_body_the_cloak_cannot_read_goes_as_it_came(string body)
    {
        var sent = Encoding.UTF8.GetBytes(body);
        Assert.Equal(sent, ClaudeCloak.Apply(sent, Cloak(words: ["proxy"]), "claude-sonnet-4-5", "k").ToArray());
    }

    [Fact]
    public void Text_keeps_its_characters_unescaped()
    {
        var cloaked = Encoding.UTF8.GetString(ClaudeCloak.Apply(Encoding.UTF8.GetBytes("""{"system":"système 日本 a+b","messages":[]}"""), null, "m", "k").Span);
        Assert.Contains("\"text\":\"système 日本 a+b\"", cloaked);
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("claude-cli/2.1.44 (external, cli)", false)]
    public void The_executor_cloaks_the_bodies_of_other_clients_with_the_keys_settings(string? userAgent, bool cloaked)
    {
        var credential = Credential("claude", UpstreamProtocol.ClaudeMessages) with
        {
            Claude = new ClaudeUpstreamSettings(ClaudeHeaderDefaults.None, Cloak(strict: true)),
        };
        (string, string)[] headers = userAgent is null ? [] : [("User-Agent", userAgent)];
        var request = new ClaudeExecutor(new UpstreamOptions()).Build(credential, "sk",
            Call(ClientProtocol.ClaudeMessages, """{"model":"alias","system":"Mine.","messages":[]}""", false, headers), "claude-sonnet-4-5");

        var body = JsonNode.Parse(Body(request))!.AsObject();
        Assert.Equal("claude-sonnet-4-5", (string?)body["model"]);
        Assert.Equal(cloaked ? ClaudeCloak.Identity : "Mine.", cloaked ? SystemTexts(body) : (string?)body["system"]);
        Assert.Equal(cloaked, body.ContainsKey("metadata"));
    }

    [Fact]
    public void The_catalogue_gives_each_claude_key_its_own_cloak_settings()
    {
        var config = new ConfigSettings(JsonNode.Parse("""
            {"claude-api-key":[{"api-key":"k1","cloak":{"mode":"never"}},{"api-key":"k2"}],
             "claude-header-defaults":{"user-agent":"ua"}}
            """)!.AsObject());
        var claude = CliProxy.Domain.Proxy.Catalogue.ConfigCredentials.Of(config).Select(c => c.Credential.Claude).ToList();

        Assert.Equal(["never", null], claude.Select(c => c.Cloak?.Mode));
        Assert.All(claude, c => Assert.Equal("ua", c.HeaderDefaults.UserAgent));
    }
}
