using System.Text.Json.Nodes;
using CliProxy.Domain.Config;
using CliProxy.Domain.Config.Normalization;
using CliProxy.Tests.Support;
using static CliProxy.Tests.Domain.Config.ConfigEditHarness;

namespace CliProxy.Tests.Domain.Config;

/// <summary>Management edits on fixtures/config/full.yaml change only the edited key's bytes, and every list round-trips.</summary>
[Unit]
public sealed class FullFixtureEditTests
{
    private static readonly string Full = TestPaths.Fixture("config/full.yaml");

    public static TheoryData<string, string, string, string> Edits => new()
    {
        { "/debug", "PUT", """{"value":true}""", "debug" },
        { "/logs-max-total-size-mb", "PATCH", """{"value":-5}""", "logs-max-total-size-mb" },
        { "/proxy-url", "PUT", """{"value":"socks5://p:1080"}""", "proxy-url" },
        { "/quota-exceeded/switch-project", "PUT", """{"value":false}""", "quota-exceeded" },
        { "/routing/strategy", "PUT", """{"value":"ff"}""", "routing" },
        { "/request-retry", "PUT", """{"value":7}""", "request-retry" },
        { "/api-keys", "PATCH", """{"index":1,"value":"sk-new"}""", "api-keys" },
        { "/gemini-api-key", "PATCH", """{"index":0,"value":{"prefix":"blue"}}""", "gemini-api-key" },
        { "/claude-api-key", "PATCH", """{"match":"sk-ant-api03-FAKE-claude-key-0002","value":{"priority":9}}""", "claude-api-key" },
        { "/codex-api-key", "PUT", """[{"api-key":"sk-x","base-url":"https://x"}]""", "codex-api-key" },
        { "/openai-compatibility", "PATCH", """{"name":"openrouter","value":{"headers":{}}}""", "openai-compatibility" },
        { "/vertex-api-key", "PATCH", """{"index":0,"value":{"proxy-url":"http://p:3128"}}""", "vertex-api-key" },
        { "/oauth-excluded-models", "PATCH", """{"provider":"codex","models":["gpt-4*"]}""", "oauth-excluded-models" },
        { "/oauth-model-alias", "PATCH", """{"channel":"claude","aliases":[{"name":"a","alias":"b"}]}""", "oauth-model-alias" },
        { "/ampcode/model-mappings", "PATCH", """{"value":[{"from":"x","to":"y"}]}""", "ampcode" },
        { "/ampcode/upstream-url", "DELETE", "", "ampcode" },
    };

    [Theory]
    [MemberData(nameof(Edits))]
    public void An_edit_changes_only_its_own_top_level_key(string route, string method, string body, string key)
    {
        var (outcome, text) = Edit(Full, route, method, body);
        Assert.True(outcome.IsAccepted, outcome.Refusal?.ToString());
        Assert.NotEqual(Full, text);
        var before = Blocks(Full);
        var after = Blocks(text);
        Assert.Equal(before.Keys.Order(), after.Keys.Order());
        foreach (var k in before.Keys.Where(k => k != key)) Assert.Equal(before[k], after[k]);
        ConfigDocument.Load(text); // still a valid document
    }

    public static TheoryData<string> Lists => new()
    {
        "/api-keys", "/gemini-api-key", "/claude-api-key", "/codex-api-key", "/openai-compatibility", "/vertex-api-key",
        "/oauth-excluded-models", "/oauth-model-alias", "/ampcode/model-mappings", "/ampcode/upstream-api-keys",
    };

    [Theory]
    [MemberData(nameof(Lists))]
    public void Putting_back_what_get_returned_leaves_the_file_byte_identical(string route)
    {
        var value = Read(Full, route).Single().Value!;
        var body = route.StartsWith("/ampcode/") ? new JsonObject { ["value"] = value.DeepClone() }.ToJsonString() : value.ToJsonString();
        var (outcome, text) = Edit(Full, route, "PUT", body);
        Assert.True(outcome.IsAccepted, outcome.Refusal?.ToString());
        Assert.Equal(Full, text);
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public void A_changed_list_reads_back_as_written(string route)
    {
        var key = Read(Full, route).Single().Key;
        var value = Read(Full, route).Single().Value!.DeepClone();
        switch (value)
        {
            case JsonArray a when a[0] is JsonObject first:
                var copy = (JsonObject)first.DeepClone();
                var id = new[] { "api-key", "name", "from", "upstream-api-key" }.First(copy.ContainsKey);
                copy[id] = "added-" + id;
                a.Add(copy);
                a.RemoveAt(0);
                break;
            case JsonArray a:
                a.Add("sk-added");
                break;
            case JsonObject o:
                o["added"] = o.First().Value!.DeepClone();
                break;
        }
        var body = route.StartsWith("/ampcode/") ? new JsonObject { ["value"] = value.DeepClone() }.ToJsonString() : value.ToJsonString();
        var (outcome, text) = Edit(Full, route, "PUT", body);
        Assert.True(outcome.IsAccepted, outcome.Refusal?.ToString());
        Assert.True(JsonNode.DeepEquals(value, Read(text, route)[key]), Read(text, route).ToJsonString());
        Assert.Contains("x-team-notes: \"rotate provider keys every quarter\"", text);
        Assert.Contains("# --- upstream API keys ---", text);
    }

    [Fact]
    public void Every_provider_list_in_the_fixture_loads_without_dropping_entries()
    {
        var doc = ConfigDocument.Load(Full);
        Assert.Empty(doc.Warnings);
        foreach (var list in ProviderList.All) Assert.NotEmpty(doc.Model[list.Key]!.AsArray());
    }
}
