using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Process;

/// <summary>
/// Changes made through the API survive a restart (kill, start on the same folder), and the file
/// keeps its comments and unknown keys. Each test changes its own part of the config and restarts.
/// </summary>
[Process]
public sealed class PersistenceTests(FullGatewayProcess fixture) : IClassFixture<FullGatewayProcess>
{
    private GatewayProcess G => fixture.Gateway;

    private void AssertCommentsAndUnknownKeysKept()
    {
        var file = G.FileText();
        foreach (var line in new[]
                 {
                     "# Team proxy configuration (staging)",
                     "# Owner: platform team. Edit through the management API or by hand; both are fine.",
                     "# --- behaviour ------------------------------------------------------------",
                     "# --- upstream API keys ----------------------------------------------------",
                     "# --- OAuth channels -------------------------------------------------------",
                     "# A key this server does not know about; it must survive every edit.",
                     "x-team-notes: \"rotate provider keys every quarter\"",
                 })
            Assert.Contains(line, file);
        Assert.Contains("# extra rounds across credentials", file);
        Assert.Contains("# Where credential files from CLI logins live.", file);
    }

    [Fact]
    public async Task Api_changes_to_every_part_of_the_config_survive_a_restart()
    {
        // Scalars and api-keys.
        await G.Ok("PUT", "/debug", """{"value":true}""");
        await G.Ok("PATCH", "/request-retry", """{"value":6}""");
        await G.Ok("PUT", "/routing/strategy", """{"value":"fill-first"}""");
        await G.Ok("PUT", "/proxy-url", """{"value":"socks5://persist.proxy:1080"}""");
        await G.Ok("PUT", "/quota-exceeded/switch-project", """{"value":false}""");
        await G.Ok("PUT", "/ampcode/upstream-api-key", """{"value":"amp-persisted"}""");
        await G.Ok("PATCH", "/api-keys", """{"old":"sk-team-beta-0002","new":"sk-team-beta-persisted"}""");
        // Provider lists.
        await G.Ok("PUT", "/gemini-api-key", """[{"api-key":"g-persist-1","prefix":"gp","headers":{"X-P":"1"}},{"api-key":"g-persist-2","base-url":"https://g.example"}]""");
        await G.Ok("PATCH", "/claude-api-key", """{"index":0,"value":{"priority":8,"cloak":{"mode":"never"}}}""");
        await G.Ok("PUT", "/codex-api-key", """[{"api-key":"x-persist","base-url":"https://codex.persist.example","websockets":true}]""");
        await G.Ok("PUT", "/openai-compatibility", """{"items":[{"name":"o-persist","base-url":"https://o.example","api-key-entries":[{"api-key":"ok-1"}]}]}""");
        await G.Ok("DELETE", "/vertex-api-key?index=0");
        // OAuth maps and ampcode lists.
        await G.Ok("PUT", "/oauth-excluded-models", """{"codex":["gpt-5-mini"],"claude":["claude-3-opus"]}""");
        await G.Ok("DELETE", "/oauth-model-alias?channel=codex");
        await G.Ok("PATCH", "/oauth-model-alias", """{"channel":"kimi","aliases":[{"name":"k2","alias":"kimi-latest","fork":true}]}""");
        await G.Ok("PATCH", "/ampcode/model-mappings", """{"value":[{"from":"persist-from","to":"persist-to","regex":true}]}""");

        string[] routes =
        [
            "/config", "/api-keys", "/gemini-api-key", "/claude-api-key", "/codex-api-key", "/openai-compatibility", "/vertex-api-key",
            "/oauth-excluded-models", "/oauth-model-alias", "/ampcode",
        ];
        var before = new Dictionary<string, string>();
        foreach (var route in routes) before[route] = (await G.GetJson(route)).ToJsonString();

        await G.RestartGatewayAsync();

        foreach (var route in routes) Mgmt.AssertJson(before[route], (await G.Call("GET", route)).Body);
        Mgmt.AssertJson("""{"debug":true}""", (await G.Call("GET", "/debug")).Body);
        Mgmt.AssertJson("""{"request-retry":6}""", (await G.Call("GET", "/request-retry")).Body);
        Mgmt.AssertJson("""{"strategy":"fill-first"}""", (await G.Call("GET", "/routing/strategy")).Body);
        Mgmt.AssertJson("""{"proxy-url":"socks5://persist.proxy:1080"}""", (await G.Call("GET", "/proxy-url")).Body);
        Mgmt.AssertJson("""{"switch-project":false}""", (await G.Call("GET", "/quota-exceeded/switch-project")).Body);
        Mgmt.AssertJson("""{"upstream-api-key":"amp-persisted"}""", (await G.Call("GET", "/ampcode/upstream-api-key")).Body);
        Assert.Contains("sk-team-beta-persisted", before["/api-keys"]);
        Mgmt.AssertEntry("""{"api-key":"x-persist","base-url":"https://codex.persist.example","websockets":true}""", (await G.GetJson("/codex-api-key"))["codex-api-key"]![0]);
        Assert.True(Mgmt.IsEmpty((await G.GetJson("/vertex-api-key"))["vertex-api-key"]));
        Assert.DoesNotContain("codex", (await G.GetJson("/oauth-model-alias")).ToJsonString());
        Assert.Contains("persist-from", before["/ampcode"]);
        AssertCommentsAndUnknownKeysKept();
    }

    [Fact]
    public async Task Emptied_nested_values_and_put_config_yaml_survive_a_restart()
    {
        await G.Ok("PUT", "/gemini-api-key", """[{"api-key":"g-headers","headers":{"X-One":"1","X-Two":"2"},"excluded-models":["m1"]}]""");
        await G.Ok("PATCH", "/gemini-api-key", """{"index":0,"value":{"headers":{"X-Two":"2"},"excluded-models":[]}}""");
        await G.Ok("PUT", "/ampcode/upstream-api-keys", """{"value":[]}""");
        var body = System.Text.RegularExpressions.Regex.Replace(G.FileText(), @"(?m)^max-retry-interval: .*$", "max-retry-interval: 77   # set by PUT /config.yaml");
        var r = await G.Call("PUT", "/config.yaml", body);
        Assert.Equal(200, r.Status);

        await G.RestartGatewayAsync();

        Mgmt.AssertEntries((await G.GetJson("/gemini-api-key"))["gemini-api-key"], """{"api-key":"g-headers","headers":{"X-Two":"2"}}""");
        Assert.True(Mgmt.IsEmpty((await G.GetJson("/ampcode/upstream-api-keys"))["upstream-api-keys"]));
        Assert.DoesNotContain("X-One", G.FileText());
        Assert.DoesNotContain("amp-FAKE-team-a", G.FileText());
        Mgmt.AssertJson("""{"max-retry-interval":77}""", (await G.Call("GET", "/max-retry-interval")).Body);
        Assert.Contains("max-retry-interval: 77   # set by PUT /config.yaml", G.FileText());
        AssertCommentsAndUnknownKeysKept();
    }
}
