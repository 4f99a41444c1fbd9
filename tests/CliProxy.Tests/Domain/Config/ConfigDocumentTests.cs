using System.Text.Json.Nodes;
using CliProxy.Domain.Config;
using CliProxy.Domain.Config.Schema;

namespace CliProxy.Tests.Domain.Config;

[Unit]
public sealed class ConfigDocumentTests
{
    private static JsonObject ConfigJson(string text) => ConfigRenderer.Output(ConfigDocument.Load(text).Model, ConfigSchemas.Root);

    [Fact]
    public void Empty_mapping_renders_the_reference_defaults_of_spec_6_1()
    {
        const string expected = """
            {"proxy-url":"","force-model-prefix":false,"request-log":false,"api-keys":null,
             "passthrough-headers":false,"streaming":{},"tls":{"enable":false,"cert":"","key":""},
             "debug":false,"pprof":{"enable":false,"addr":"127.0.0.1:8316"},"commercial-mode":false,
             "logging-to-file":false,"logs-max-total-size-mb":0,"error-logs-max-files":10,
             "usage-statistics-enabled":false,"disable-cooling":false,"request-retry":0,
             "max-retry-interval":0,"quota-exceeded":{"switch-project":false,"switch-preview-model":false},
             "routing":{},"ws-auth":false,"gemini-api-key":null,"codex-api-key":null,"claude-api-key":null,
             "claude-header-defaults":{"user-agent":"","package-version":"","runtime-version":"","timeout":""},
             "openai-compatibility":null,"vertex-api-key":null,
             "ampcode":{"upstream-url":"","upstream-api-key":"","restrict-management-to-localhost":false,
                        "model-mappings":null,"force-model-mappings":false},
             "payload":{"default":null,"default-raw":null,"override":null,"override-raw":null,"filter":null}}
            """;
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), ConfigJson("{}\n").ToJsonString());
        Assert.Equal(JsonNode.Parse(expected)!.ToJsonString(), ConfigJson("# only a comment\n").ToJsonString());
    }

    [Fact]
    public void Explicit_empty_list_is_an_empty_array_and_absent_is_null()
    {
        Assert.Equal("[]", ConfigJson("api-keys: []\n")["api-keys"]!.ToJsonString());
        Assert.Null(ConfigJson("api-keys:\n")["api-keys"]);
    }

    [Theory]
    [InlineData("debug: yes", true)]
    [InlineData("debug: \"yes\"", true)]
    [InlineData("debug: Off", false)]
    [InlineData("debug: TRUE", true)]
    public void Booleans_accept_the_yaml_1_1_words(string yaml, bool expected) =>
        Assert.Equal(expected, ConfigDocument.Load(yaml).Settings.Debug);

    [Theory]
    [InlineData("debug: \"true\"", "line 1: cannot unmarshal !!str `true` into bool")]
    [InlineData("port: \"8317\"", "line 1: cannot unmarshal !!str `8317` into int")]
    [InlineData("api-keys: abc", "line 1: cannot unmarshal !!str `abc` into []string")]
    [InlineData("request-retry: 1.5", "line 1: cannot unmarshal !!float `1.5` into int")]
    public void Type_errors_use_the_reference_message(string yaml, string error)
    {
        var e = Assert.Throws<ConfigLoadException>(() => ConfigDocument.Load(yaml));
        Assert.Equal("yaml: unmarshal errors:\n  " + error, e.Message);
    }

    [Fact]
    public void Duplicate_keys_are_refused_naming_both_lines()
    {
        var e = Assert.Throws<ConfigLoadException>(() => ConfigDocument.Load("debug: true\ndebug: false\n"));
        Assert.Equal("yaml: unmarshal errors:\n  line 2: mapping key \"debug\" already defined at line 1", e.Message);
    }

    [Fact]
    public void Numbers_are_accepted_for_strings_and_unknown_keys_are_ignored()
    {
        var doc = ConfigDocument.Load("proxy-url: 123\nx-team-notes: [1, 2]\n");
        Assert.Equal("123", doc.Settings.ProxyUrl);
        Assert.Contains("x-team-notes", doc.RootKeys);
    }

    [Fact]
    public void Load_normalises_as_the_reference_does_and_as_the_routes_do()
    {
        var doc = ConfigDocument.Load("""
            error-logs-max-files: -1
            logs-max-total-size-mb: -7
            pprof:
              addr: "  "
            oauth-excluded-models:
              " Codex ": [" GPT-5* ", "gpt-5*", ""]
              empty: []
            oauth-model-alias:
              Claude:
                - {name: a, alias: b}
                - {name: c, alias: B}
                - {name: same, alias: SAME}
            gemini-api-key:
              - api-key: " k1 "
                prefix: "/team/"
                headers: {" X-A ": " v ", "X-B": ""}
            ampcode:
              upstream-url: " https://amp.example "
              upstream-api-keys:
                - {upstream-api-key: " u1 ", api-keys: [" a ", ""]}
                - {upstream-api-key: " "}
            payload:
              default-raw:
                - params: {"x": "not json"}
            """);
        var json = ConfigRenderer.Output(doc.Model, ConfigSchemas.Root);
        Assert.Equal(10, (long)json["error-logs-max-files"]!);
        Assert.Equal(0, (long)json["logs-max-total-size-mb"]!);
        Assert.Equal("127.0.0.1:8316", (string)json["pprof"]!["addr"]!);
        Assert.Equal("""{"codex":["gpt-5*"]}""", json["oauth-excluded-models"]!.ToJsonString());
        Assert.Equal("""{"claude":[{"name":"a","alias":"b"}]}""", json["oauth-model-alias"]!.ToJsonString());
        Assert.Equal("""[{"api-key":"k1","prefix":"team","headers":{"X-A":"v"}}]""", json["gemini-api-key"]!.ToJsonString());
        Assert.Equal("https://amp.example", (string)json["ampcode"]!["upstream-url"]!);
        Assert.Equal("""[{"upstream-api-key":"u1","api-keys":["a"]}]""", json["ampcode"]!["upstream-api-keys"]!.ToJsonString());
        Assert.Equal("[]", json["payload"]!["default-raw"]!.ToJsonString());
        Assert.Single(doc.Warnings);
    }
}
