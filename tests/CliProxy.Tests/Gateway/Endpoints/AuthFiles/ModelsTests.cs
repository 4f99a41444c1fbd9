using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints.AuthFiles;

/// <summary>
/// full.yaml without its gemini-cli exclusion, so that the gemini-cli fork alias
/// (<c>gemini-2.5-pro</c> → <c>g25p</c>, fork) can be seen. The claude exclusion
/// (<c>claude-3-5-haiku-20241022</c>) and the codex alias (<c>gpt-5</c> → <c>g5</c>) stay.
/// </summary>
public sealed class ModelsGateway : IAsyncLifetime
{
    /// <summary>The config text.</summary>
    public static string Config => Mgmt.ReplaceOnce(Mgmt.FullYaml, "  gemini-cli:\n    - \"gemini-2.5-pro\"\n  claude:", "  claude:");

    /// <summary>The running gateway.</summary>
    public TestGateway Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Gateway = await Mgmt.StartGatewayAsync(Config);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>
/// <c>GET /auth-files/models?name=</c> (spec §4.2 with the correction of defect 23): the channel's
/// static catalog minus the config's and the file's exclusions, with the config's aliases and the
/// credential's prefix applied; nothing for a disabled credential; 404 for an unknown one.
/// </summary>
[Http]
public sealed class ModelsTests(ModelsGateway fixture) : IClassFixture<ModelsGateway>
{
    private TestGateway G => fixture.Gateway;

    private async Task<string> Uploaded(string stem, string json)
    {
        var name = $"{stem}-{AuthKit.Marker()}.json";
        await G.Upload(name, json);
        return name;
    }

    private static List<string> Without(string channel, params string[] excluded) => AuthKit.CatalogIds(channel).Where(id => !excluded.Contains(id)).ToList();

    [Fact]
    public async Task Claude_credential_serves_the_claude_catalog_minus_the_config_exclusion()
    {
        var name = await Uploaded("models-claude", AuthKit.FixtureText("claude-example.json"));
        var r = await G.Call("GET", "/auth-files/models?name=" + Uri.EscapeDataString(name));
        Assert.Equal(200, r.Status);
        var models = r.Json!["models"]!.AsArray().Select(m => m!.AsObject()).ToList();
        AuthKit.AssertSameItems(Without("claude", "claude-3-5-haiku-20241022"), models.Select(m => (string)m["id"]!), "claude models");
        var catalog = AuthKit.CatalogModels("claude").ToDictionary(m => (string)m["id"]!);
        foreach (var m in models)
        {
            var c = catalog[(string)m["id"]!];
            foreach (var field in new[] { "display_name", "type", "owned_by" })
                Assert.True(JsonNode.DeepEquals(c[field], m[field]), $"{m["id"]}: {field} {m[field]?.ToJsonString()} != catalog {c[field]?.ToJsonString()}");
        }
    }

    [Fact]
    public async Task Codex_alias_without_fork_replaces_the_model()
    {
        var name = await Uploaded("models-codex", AuthKit.FixtureText("codex-example.json"));
        var expected = AuthKit.CatalogIds("codex").Select(id => id == "gpt-5" ? "g5" : id);
        AuthKit.AssertSameItems(expected, await G.ModelIds(name), "codex models");
    }

    [Fact]
    public async Task Gemini_file_serves_gemini_cli_models_and_the_fork_alias_keeps_both()
    {
        var name = await Uploaded("models-gemini", AuthKit.FixtureText("gemini-example.json"));
        var expected = AuthKit.CatalogIds("gemini-cli").Append("g25p");
        AuthKit.AssertSameItems(expected, await G.ModelIds(name), "gemini-cli models");
    }

    [Fact]
    public async Task An_excluded_model_is_not_aliased()
    {
        var name = await Uploaded("models-gemini-excl", """{"type":"gemini","email":"x@example.com","excluded_models":["gemini-2.5-pro"]}""");
        AuthKit.AssertSameItems(Without("gemini-cli", "gemini-2.5-pro"), await G.ModelIds(name), "gemini-cli models");
    }

    [Fact]
    public async Task File_exclusions_with_wildcards_add_to_the_config_exclusions()
    {
        var name = await Uploaded("models-claude-excl", """{"type":"claude","email":"x@example.com","excluded_models":["*OPUS*","claude-sonnet-4-5-*"]}""");
        var expected = AuthKit.CatalogIds("claude").Where(id => !id.Contains("opus") && !id.StartsWith("claude-sonnet-4-5-") && id != "claude-3-5-haiku-20241022");
        AuthKit.AssertSameItems(expected, await G.ModelIds(name), "claude models");

        var hyphen = await Uploaded("models-kimi-excl", """{"type":"kimi","excluded-models":["kimi-k2*"]}""");
        Assert.Empty(await G.ModelIds(hyphen));
    }

    [Fact]
    public async Task Prefix_adds_the_prefixed_form_of_every_model()
    {
        var name = await Uploaded("models-prefix", """{"type":"claude","email":"p@example.com","prefix":"team"}""");
        var plain = Without("claude", "claude-3-5-haiku-20241022");
        AuthKit.AssertSameItems(plain.Concat(plain.Select(id => "team/" + id)), await G.ModelIds(name), "prefixed claude models");

        var codex = await Uploaded("models-prefix-codex", """{"type":"codex","email":"p@example.com","prefix":"/team/"}""");
        var ids = AuthKit.CatalogIds("codex").Select(id => id == "gpt-5" ? "g5" : id).ToList();
        AuthKit.AssertSameItems(ids.Concat(ids.Select(id => "team/" + id)), await G.ModelIds(codex), "prefixed codex models");
    }

    [Theory]
    [InlineData("kimi")]
    [InlineData("qwen")]
    [InlineData("iflow")]
    [InlineData("vertex")]
    [InlineData("aistudio")]
    public async Task Other_channels_serve_their_static_catalog(string type)
    {
        var name = await Uploaded("models-" + type, $$"""{"type":"{{type}}","email":"c@example.com"}""");
        AuthKit.AssertSameItems(AuthKit.CatalogIds(type), await G.ModelIds(name), type + " models");
    }

    [Fact]
    public async Task Disabled_credential_serves_no_models_until_enabled()
    {
        var name = await Uploaded("models-disabled", """{"type":"claude","email":"d@example.com","disabled":true}""");
        Assert.Empty(await G.ModelIds(name));
        Mgmt.AssertJson("""{"status":"ok","disabled":false}""", (await G.Call("PATCH", "/auth-files/status", $$"""{"name":"{{name}}","disabled":false}""")).Body);
        AuthKit.AssertSameItems(Without("claude", "claude-3-5-haiku-20241022"), await G.ModelIds(name), "claude models after enable");
        Mgmt.AssertJson("""{"status":"ok","disabled":true}""", (await G.Call("PATCH", "/auth-files/status", $$"""{"name":"{{name}}","disabled":true}""")).Body);
        Assert.Empty(await G.ModelIds(name));
    }

    [Fact]
    public async Task Missing_name_is_400_and_unknown_credential_is_404()
    {
        Mgmt.AssertError(await G.Call("GET", "/auth-files/models"), 400, "name is required");
        Mgmt.AssertError(await G.Call("GET", "/auth-files/models?name="), 400, "name is required");
        Mgmt.AssertError(await G.Call("GET", $"/auth-files/models?name=models-unknown-{AuthKit.Marker()}.json"), 404, "auth file not found");
        var name = await Uploaded("models-deleted", AuthKit.FixtureText("claude-example.json"));
        Mgmt.AssertOk(await G.Call("DELETE", "/auth-files?name=" + name), "delete");
        Mgmt.AssertError(await G.Call("GET", "/auth-files/models?name=" + name), 404, "auth file not found");
    }
}

/// <summary>
/// <c>GET /auth-files/models</c> on the unmodified full.yaml, whose gemini-cli channel both excludes
/// <c>gemini-2.5-pro</c> and forks it to <c>g25p</c>: exclusions apply before aliases, so neither appears.
/// </summary>
[Http]
public sealed class ModelsOnFullYamlTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    [Fact]
    public async Task Full_yaml_gemini_cli_exclusion_also_removes_the_forked_alias()
    {
        var name = $"models-full-gemini-{AuthKit.Marker()}.json";
        await G.Upload(name, AuthKit.FixtureText("gemini-example.json"));
        AuthKit.AssertSameItems(AuthKit.CatalogIds("gemini-cli").Where(id => id != "gemini-2.5-pro"), await G.ModelIds(name), "gemini-cli models");
    }

    [Fact]
    public async Task Full_yaml_claude_and_codex_rules_apply()
    {
        var claude = $"models-full-claude-{AuthKit.Marker()}.json";
        var codex = $"models-full-codex-{AuthKit.Marker()}.json";
        await G.Upload(claude, """{"type":"claude","email":"x@example.com","prefix":"team"}""");
        await G.Upload(codex, AuthKit.FixtureText("codex-example.json"));
        var plain = AuthKit.CatalogIds("claude").Where(id => id != "claude-3-5-haiku-20241022").ToList();
        AuthKit.AssertSameItems(plain.Concat(plain.Select(id => "team/" + id)), await G.ModelIds(claude), "claude models");
        AuthKit.AssertSameItems(AuthKit.CatalogIds("codex").Select(id => id == "gpt-5" ? "g5" : id), await G.ModelIds(codex), "codex models");
    }
}
