using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// Read-only routes against an untouched copy of fixtures/config/full.yaml (spec §6.1, §6.2, §7–§11
/// GET shapes). Nothing in this class mutates the gateway.
/// </summary>
[Http]
public sealed class ConfigReadTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    [Fact]
    public async Task Get_config_lists_every_model_key_and_hides_host_port_auth_dir_and_remote_management()
    {
        var r = await G.Call("GET", "/config");
        Assert.Equal(200, r.Status);
        Assert.Equal("application/json; charset=utf-8", Mgmt.ContentType(r));
        var json = r.Json!.AsObject();
        string[] expectedKeys =
        [
            "proxy-url", "force-model-prefix", "request-log", "api-keys", "passthrough-headers", "streaming", "tls", "debug", "pprof",
            "commercial-mode", "logging-to-file", "logs-max-total-size-mb", "error-logs-max-files", "usage-statistics-enabled",
            "disable-cooling", "request-retry", "max-retry-interval", "quota-exceeded", "routing", "ws-auth", "gemini-api-key",
            "codex-api-key", "claude-api-key", "claude-header-defaults", "openai-compatibility", "vertex-api-key", "ampcode",
            "oauth-excluded-models", "oauth-model-alias", "payload",
        ];
        Assert.Equal(expectedKeys.Order(), json.Select(p => p.Key).Order());
        Assert.DoesNotContain("mgmt-key-for-tests", r.Body);
        Assert.DoesNotContain("$2a$", r.Body);
        Assert.DoesNotContain("x-team-notes", r.Body);
    }

    [Fact]
    public async Task Get_config_scalar_values_come_from_the_file()
    {
        var json = await G.GetJson("/config");
        Mgmt.AssertJson("""
            {"proxy-url":"","force-model-prefix":false,"request-log":false,"passthrough-headers":false,
             "streaming":{"keepalive-seconds":15,"bootstrap-retries":1},"tls":{"enable":false,"cert":"","key":""},
             "debug":false,"pprof":{"enable":false,"addr":"127.0.0.1:8316"},"commercial-mode":false,"logging-to-file":false,
             "logs-max-total-size-mb":512,"error-logs-max-files":10,"usage-statistics-enabled":true,"disable-cooling":false,
             "request-retry":3,"max-retry-interval":30,"quota-exceeded":{"switch-project":true,"switch-preview-model":true},
             "routing":{"strategy":"round-robin"},"ws-auth":false,
             "claude-header-defaults":{"user-agent":"claude-cli/2.1.44 (external, sdk-cli)","package-version":"0.74.0","runtime-version":"v24.3.0","timeout":"600"}}
            """, new JsonObject(json.AsObject().Where(p => p.Value is not JsonArray && p.Key is not ("ampcode" or "payload" or "oauth-excluded-models" or "oauth-model-alias"))
                .Select(p => KeyValuePair.Create(p.Key, p.Value?.DeepClone()))));
        Mgmt.AssertJson("""["sk-team-alpha-0001","sk-team-beta-0002","sk-ci-runner-0003"]""", json["api-keys"]);
    }

    [Fact]
    public async Task Get_config_contains_lists_maps_ampcode_and_payload()
    {
        var json = await G.GetJson("/config");
        Mgmt.AssertJson(Gemini, json["gemini-api-key"]);
        Mgmt.AssertJson(Codex, json["codex-api-key"]);
        AssertClaude(json["claude-api-key"]);
        AssertOpenAI(json["openai-compatibility"]);
        Mgmt.AssertJson(Vertex, json["vertex-api-key"]);
        Mgmt.AssertJson(Ampcode, json["ampcode"]);
        Mgmt.AssertJson(ExcludedModels, json["oauth-excluded-models"]);
        Mgmt.AssertJson(ModelAlias, json["oauth-model-alias"]);
        var payload = json["payload"]!.AsObject();
        Assert.Equal(["default", "default-raw", "filter", "override", "override-raw"], payload.Select(p => p.Key).Order());
        Mgmt.AssertJson("""{"generationConfig.thinkingConfig.thinkingBudget":2048}""", payload["default"]![0]!["params"]);
        Mgmt.AssertEntry("""{"name":"gemini-*","protocol":"gemini"}""", payload["default"]![0]!["models"]![0]);
        Mgmt.AssertJson("""["metadata"]""", payload["filter"]![0]!["params"]);
        Mgmt.AssertEntry("""{"name":"claude-*"}""", payload["filter"]![0]!["models"]![0]);
        foreach (var empty in new[] { "default-raw", "override", "override-raw" }) Assert.True(Mgmt.IsEmpty(payload[empty]), empty);
    }

    [Fact]
    public async Task Get_config_yaml_returns_the_file_bytes_with_its_headers()
    {
        var r = await G.Call("GET", "/config.yaml");
        Assert.Equal(200, r.Status);
        Assert.Equal(G.FileText(), r.Body);
        Assert.Equal("application/yaml; charset=utf-8", Mgmt.ContentType(r));
        Assert.Equal("no-store", r.Header("Cache-Control"));
        Assert.Equal("nosniff", r.Header("X-Content-Type-Options"));
        Assert.False(string.IsNullOrWhiteSpace(r.Header("ETag")), "ETag header missing");
        Assert.Contains("# Team proxy configuration (staging)", r.Body);
        Assert.Contains("x-team-notes: \"rotate provider keys every quarter\"", r.Body);
        Assert.Matches(@"secret-key: ""\$2[aby]\$10\$", r.Body);
        Assert.DoesNotContain("mgmt-key-for-tests", r.Body);
    }

    [Fact]
    public async Task Get_config_yaml_etag_is_stable_while_nothing_changes()
    {
        var a = await G.Call("GET", "/config.yaml");
        var b = await G.Call("GET", "/config.yaml");
        Assert.NotNull(a.Header("ETag"));
        Assert.Equal(a.Header("ETag"), b.Header("ETag"));
    }

    public static TheoryData<string, string> ScalarValues => new()
    {
        { "/debug", """{"debug":false}""" },
        { "/logging-to-file", """{"logging-to-file":false}""" },
        { "/logs-max-total-size-mb", """{"logs-max-total-size-mb":512}""" },
        { "/error-logs-max-files", """{"error-logs-max-files":10}""" },
        { "/usage-statistics-enabled", """{"usage-statistics-enabled":true}""" },
        { "/proxy-url", """{"proxy-url":""}""" },
        { "/quota-exceeded/switch-project", """{"switch-project":true}""" },
        { "/quota-exceeded/switch-preview-model", """{"switch-preview-model":true}""" },
        { "/request-retry", """{"request-retry":3}""" },
        { "/max-retry-interval", """{"max-retry-interval":30}""" },
        { "/force-model-prefix", """{"force-model-prefix":false}""" },
        { "/routing/strategy", """{"strategy":"round-robin"}""" },
        { "/ws-auth", """{"ws-auth":false}""" },
        { "/request-log", """{"request-log":false}""" },
        { "/ampcode/upstream-url", """{"upstream-url":"https://ampcode.com"}""" },
        { "/ampcode/upstream-api-key", """{"upstream-api-key":""}""" },
        { "/ampcode/restrict-management-to-localhost", """{"restrict-management-to-localhost":true}""" },
        { "/ampcode/force-model-mappings", """{"force-model-mappings":false}""" },
    };

    [Theory]
    [MemberData(nameof(ScalarValues))]
    public async Task Get_scalar_answers_only_its_key_with_the_file_value(string route, string expected)
    {
        var r = await G.Call("GET", route);
        Assert.Equal(200, r.Status);
        Assert.Equal("application/json; charset=utf-8", Mgmt.ContentType(r));
        Mgmt.AssertJson(expected, r.Body);
    }

    [Fact]
    public async Task Get_api_keys_returns_the_stored_list() =>
        Mgmt.AssertJson("""{"api-keys":["sk-team-alpha-0001","sk-team-beta-0002","sk-ci-runner-0003"]}""", (await G.Call("GET", "/api-keys")).Body);

    [Fact]
    public async Task Get_gemini_api_key_returns_the_entries() =>
        Mgmt.AssertJson($$"""{"gemini-api-key":{{Gemini}}}""", (await G.Call("GET", "/gemini-api-key")).Body);

    [Fact]
    public async Task Get_codex_api_key_returns_the_entries() =>
        Mgmt.AssertJson($$"""{"codex-api-key":{{Codex}}}""", (await G.Call("GET", "/codex-api-key")).Body);

    [Fact]
    public async Task Get_claude_api_key_returns_the_entries()
    {
        var json = await G.GetJson("/claude-api-key");
        Assert.Single(json.AsObject());
        AssertClaude(json["claude-api-key"]);
        // Always-present fields (spec §12.2) are there even for the bare entry.
        var bare = json["claude-api-key"]![0]!.AsObject();
        Assert.True(bare.ContainsKey("base-url") && bare.ContainsKey("proxy-url") && bare.ContainsKey("models"), bare.ToJsonString());
    }

    [Fact]
    public async Task Get_openai_compatibility_returns_the_providers()
    {
        var json = await G.GetJson("/openai-compatibility");
        Assert.Single(json.AsObject());
        AssertOpenAI(json["openai-compatibility"]);
    }

    [Fact]
    public async Task Get_vertex_api_key_returns_the_entries() =>
        Mgmt.AssertJson($$"""{"vertex-api-key":{{Vertex}}}""", (await G.Call("GET", "/vertex-api-key")).Body);

    [Fact]
    public async Task Get_oauth_excluded_models_returns_the_map() =>
        Mgmt.AssertJson($$"""{"oauth-excluded-models":{{ExcludedModels}}}""", (await G.Call("GET", "/oauth-excluded-models")).Body);

    [Fact]
    public async Task Get_oauth_model_alias_returns_the_map_with_fork_only_when_true() =>
        Mgmt.AssertJson($$"""{"oauth-model-alias":{{ModelAlias}}}""", (await G.Call("GET", "/oauth-model-alias")).Body);

    [Fact]
    public async Task Get_ampcode_returns_the_section() =>
        Mgmt.AssertJson($$"""{"ampcode":{{Ampcode}}}""", (await G.Call("GET", "/ampcode")).Body);

    [Fact]
    public async Task Get_ampcode_model_mappings_omits_regex_when_false() =>
        Mgmt.AssertJson("""{"model-mappings":[{"from":"claude-opus-4-5-20251101","to":"sonnet"},{"from":"^gpt-5.*$","to":"codex-latest","regex":true}]}""",
            (await G.Call("GET", "/ampcode/model-mappings")).Body);

    [Fact]
    public async Task Get_ampcode_upstream_api_keys_returns_the_entries() =>
        Mgmt.AssertJson("""{"upstream-api-keys":[{"upstream-api-key":"amp-FAKE-team-a","api-keys":["sk-team-alpha-0001"]}]}""",
            (await G.Call("GET", "/ampcode/upstream-api-keys")).Body);

    [Fact]
    public async Task Reads_do_not_touch_the_file()
    {
        var before = G.FileText();
        foreach (var route in new[] { "/config", "/config.yaml", "/api-keys", "/gemini-api-key", "/ampcode", "/oauth-model-alias", "/debug" })
            Assert.Equal(200, (await G.Call("GET", route)).Status);
        Assert.Equal(before, G.FileText());
    }

    internal const string Gemini = """
        [{"api-key":"AIzaSyFAKE-gemini-key-0001","prefix":"team","base-url":"https://generativelanguage.googleapis.com",
          "models":[{"name":"gemini-2.5-flash","alias":"gemini-fast"}],"headers":{"X-Team":"alpha"},
          "excluded-models":["gemini-2.5-pro","*-preview"]},
         {"api-key":"AIzaSyFAKE-gemini-key-0002"}]
        """;

    internal const string Codex = """
        [{"api-key":"sk-FAKE-codex-key-0001","base-url":"https://codex.example.net/v1","proxy-url":"",
          "models":[{"name":"gpt-5-codex","alias":"codex-latest"}]}]
        """;

    internal const string Vertex = """
        [{"api-key":"vk-FAKE-vertex-0001","prefix":"vx","base-url":"https://vertex-gateway.example.com/api",
          "models":[{"name":"gemini-2.5-pro","alias":"vertex-pro"}]}]
        """;

    internal const string Ampcode = """
        {"upstream-url":"https://ampcode.com","upstream-api-key":"",
         "upstream-api-keys":[{"upstream-api-key":"amp-FAKE-team-a","api-keys":["sk-team-alpha-0001"]}],
         "restrict-management-to-localhost":true,
         "model-mappings":[{"from":"claude-opus-4-5-20251101","to":"sonnet"},{"from":"^gpt-5.*$","to":"codex-latest","regex":true}],
         "force-model-mappings":false}
        """;

    internal const string ExcludedModels = """{"gemini-cli":["gemini-2.5-pro"],"claude":["claude-3-5-haiku-20241022"]}""";

    internal const string ModelAlias = """
        {"codex":[{"name":"gpt-5","alias":"g5"}],"gemini-cli":[{"name":"gemini-2.5-pro","alias":"g25p","fork":true}]}
        """;

    internal static void AssertClaude(JsonNode? list) => Mgmt.AssertEntries(list,
        """{"api-key":"sk-ant-api03-FAKE-claude-key-0001"}""",
        """
        {"api-key":"sk-ant-api03-FAKE-claude-key-0002","priority":5,"prefix":"eu","base-url":"https://claude-gateway.example.org",
         "proxy-url":"socks5://proxy.internal:1080","models":[{"name":"claude-sonnet-4-5-20250929","alias":"sonnet"}],
         "excluded-models":["*haiku*"],"cloak":{"mode":"auto","sensitive-words":["proxy"]}}
        """);

    internal static void AssertOpenAI(JsonNode? list) => Mgmt.AssertEntries(list, """
        {"name":"openrouter","prefix":"or","base-url":"https://openrouter.ai/api/v1",
         "api-key-entries":[{"api-key":"sk-or-v1-FAKE-0001","proxy-url":"socks5://proxy.internal:1080"},{"api-key":"sk-or-v1-FAKE-0002"}],
         "models":[{"name":"moonshotai/kimi-k2:free","alias":"kimi-k2"},{"name":"deepseek/deepseek-chat","alias":"deepseek"}],
         "headers":{"HTTP-Referer":"https://staging.example.com"}}
        """);
}
