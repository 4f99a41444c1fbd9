using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// <c>/oauth-excluded-models</c> and <c>/oauth-model-alias</c> (spec §10 with correction 3: the
/// <c>items</c> wrapper is recognised when it is the only key, <c>null</c> is refused, colliding keys
/// keep the first). Every test first PUTs the map it works on.
/// </summary>
[Http]
public sealed class OAuthMapsTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private const string Excluded = "/oauth-excluded-models";
    private const string Alias = "/oauth-model-alias";

    private TestGateway G => fixture.Gateway;

    private async Task AssertMap(string route, string expectedMap)
    {
        var key = route.TrimStart('/');
        var r = await G.Call("GET", route);
        Assert.Equal(200, r.Status);
        Mgmt.AssertJson($$"""{"{{key}}":{{expectedMap}}}""", r.Body);
    }

    /// <summary>The lines of the top-level section <paramref name="key"/> of config.yaml (empty when absent).</summary>
    private string Section(string key)
    {
        var m = System.Text.RegularExpressions.Regex.Match(G.FileText(), $@"(?m)^{key}:.*\n(?:(?:[ #].*)?\n)*");
        return m.Success ? m.Value : "";
    }

    private async Task AssertEmptyMap(string route)
    {
        var r = await G.Call("GET", route);
        Assert.Equal(200, r.Status);
        var json = r.Json!.AsObject();
        Assert.Single(json);
        Assert.True(Mgmt.IsEmpty(json[route.TrimStart('/')]), r.Body);
    }

    // ------------------------------------------------------------ oauth-excluded-models

    [Fact]
    public async Task Excluded_put_map_is_normalised()
    {
        await G.Ok("PUT", Excluded, """{" Codex ":[" GPT-5* ","gpt-5*","","o3"],"claude":[],"  ":["x"],"qwen":["  "],"kimi":["k2"]}""");
        await AssertMap(Excluded, """{"codex":["gpt-5*","o3"],"kimi":["k2"]}""");
        var file = G.FileText();
        Assert.Contains("oauth-excluded-models:", file);
        Assert.Contains("gpt-5*", file);
        Assert.DoesNotContain("claude-3-5-haiku-20241022", file);
    }

    [Fact]
    public async Task Excluded_put_items_wrapper_is_the_map()
    {
        await G.Ok("PUT", Excluded, """{"items":{"iflow":["m1"]}}""");
        await AssertMap(Excluded, """{"iflow":["m1"]}""");
    }

    [Fact]
    public async Task Excluded_put_items_next_to_other_keys_is_a_provider_named_items()
    {
        await G.Ok("PUT", Excluded, """{"items":["a"],"codex":["b"]}""");
        await AssertMap(Excluded, """{"items":["a"],"codex":["b"]}""");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"items":{}}""")]
    [InlineData("""{"codex":[]}""")]
    public async Task Excluded_put_empty_map_clears_and_removes_the_key_from_the_file(string body)
    {
        await G.Ok("PUT", Excluded, """{"codex":["x"]}""");
        await G.Ok("PUT", Excluded, body);
        await AssertEmptyMap(Excluded);
        Assert.DoesNotContain("oauth-excluded-models:", G.FileText());
        var config = (await G.GetJson("/config")).AsObject();
        Assert.False(config.ContainsKey("oauth-excluded-models"), "GET /config must omit an empty oauth-excluded-models");
    }

    /// <summary>A refusal of each kind; every refusal of the resource is a theory in <c>Domain/Config/OAuthMapRulesTests</c>.</summary>
    [Theory]
    [InlineData("null")]
    [InlineData("""{"codex":[1]}""")]
    public async Task Excluded_put_invalid_body_answers_400_and_changes_nothing(string body)
    {
        await G.Ok("PUT", Excluded, """{"codex":["keep"]}""");
        var file = G.FileText();
        Mgmt.AssertError(await G.Call("PUT", Excluded, body), 400, "invalid body");
        await AssertMap(Excluded, """{"codex":["keep"]}""");
        Assert.Equal(file, G.FileText());
    }

    [Fact]
    public async Task Excluded_put_colliding_keys_keep_the_first()
    {
        await G.Ok("PUT", Excluded, """{"Codex":["first"]," codex ":["second"],"CODEX":["third"]}""");
        await AssertMap(Excluded, """{"codex":["first"]}""");
    }

    [Fact]
    public async Task Excluded_patch_replaces_the_providers_list()
    {
        await G.Ok("PUT", Excluded, """{"claude":["old-1","old-2"],"codex":["c"]}""");
        await G.Ok("PATCH", Excluded, """{"provider":" Claude ","models":[" New-1 ","new-1",""]}""");
        await AssertMap(Excluded, """{"claude":["new-1"],"codex":["c"]}""");
    }

    [Fact]
    public async Task Excluded_patch_adds_a_new_provider()
    {
        await G.Ok("PUT", Excluded, """{"codex":["c"]}""");
        await G.Ok("PATCH", Excluded, """{"provider":"qwen","models":["q1"]}""");
        await AssertMap(Excluded, """{"codex":["c"],"qwen":["q1"]}""");
    }

    [Theory]
    [InlineData("""{"provider":"codex","models":[]}""")]
    [InlineData("""{"provider":"codex"}""")]
    [InlineData("""{"provider":"CODEX","models":["  ",""]}""")]
    public async Task Excluded_patch_with_no_models_deletes_the_provider(string body)
    {
        await G.Ok("PUT", Excluded, """{"codex":["c"],"claude":["x"]}""");
        await G.Ok("PATCH", Excluded, body);
        await AssertMap(Excluded, """{"claude":["x"]}""");
        Assert.DoesNotContain("  codex:", Section("oauth-excluded-models"));
        Assert.Contains("  claude:", Section("oauth-excluded-models"));
    }

    [Fact]
    public async Task Excluded_patch_deleting_the_last_provider_empties_the_map()
    {
        await G.Ok("PUT", Excluded, """{"codex":["c"]}""");
        await G.Ok("PATCH", Excluded, """{"provider":"codex","models":[]}""");
        await AssertEmptyMap(Excluded);
        Assert.DoesNotContain("oauth-excluded-models:", G.FileText());
    }

    [Fact]
    public async Task Excluded_patch_deleting_an_absent_provider_answers_404()
    {
        await G.Ok("PUT", Excluded, """{"codex":["c"]}""");
        Mgmt.AssertError(await G.Call("PATCH", Excluded, """{"provider":"nobody","models":[]}"""), 404, "provider not found");
        await AssertMap(Excluded, """{"codex":["c"]}""");
    }

    /// <summary>A refusal of each kind; every refusal of the resource is a theory in <c>Domain/Config/OAuthMapRulesTests</c>.</summary>
    [Theory]
    [InlineData("{}", "invalid body")]
    [InlineData("""{"provider":"  ","models":["a"]}""", "invalid provider")]
    public async Task Excluded_patch_errors(string body, string message)
    {
        await G.Ok("PUT", Excluded, """{"codex":["c"]}""");
        Mgmt.AssertError(await G.Call("PATCH", Excluded, body), 400, message);
        await AssertMap(Excluded, """{"codex":["c"]}""");
    }

    [Fact]
    public async Task Excluded_delete_removes_the_provider_trimmed_and_lower_cased()
    {
        await G.Ok("PUT", Excluded, """{"codex":["c"],"claude":["x"]}""");
        await G.Ok("DELETE", Excluded + "?provider=%20CoDeX%20");
        await AssertMap(Excluded, """{"claude":["x"]}""");
    }

    /// <summary>A refusal of each kind; every refusal of the resource is a theory in <c>Domain/Config/OAuthMapRulesTests</c>.</summary>
    [Theory]
    [InlineData("?provider=%20%20", 400, "missing provider")]
    [InlineData("?provider=nobody", 404, "provider not found")]
    public async Task Excluded_delete_errors(string query, int status, string message)
    {
        await G.Ok("PUT", Excluded, """{"codex":["c"]}""");
        Mgmt.AssertError(await G.Call("DELETE", Excluded + query), status, message);
        await AssertMap(Excluded, """{"codex":["c"]}""");
    }

    // ------------------------------------------------------------ oauth-model-alias

    [Fact]
    public async Task Alias_put_map_is_sanitised()
    {
        await G.Ok("PUT", Alias, """
            {" Codex ":[{"name":" gpt-5 ","alias":" g5 "},{"name":"x","alias":"X"},{"name":"y","alias":"G5"},{"name":"","alias":"a"},
                        {"name":"b","alias":" "},{"name":"z","alias":"zz","fork":true},{"name":"gpt-5","alias":"g5b","fork":false}],
             "claude":[],"  ":[{"name":"n","alias":"m"}],"qwen":[{"name":"same","alias":"SAME"}]}
            """);
        await AssertMap(Alias, """{"codex":[{"name":"gpt-5","alias":"g5"},{"name":"z","alias":"zz","fork":true},{"name":"gpt-5","alias":"g5b"}]}""");
    }

    [Fact]
    public async Task Alias_put_items_wrapper_is_the_map()
    {
        await G.Ok("PUT", Alias, """{"items":{"kimi":[{"name":"k2","alias":"kimi-k2"}]}}""");
        await AssertMap(Alias, """{"kimi":[{"name":"k2","alias":"kimi-k2"}]}""");
    }

    [Fact]
    public async Task Alias_put_colliding_channels_keep_the_first()
    {
        await G.Ok("PUT", Alias, """{"Vertex":[{"name":"a","alias":"first"}],"vertex ":[{"name":"b","alias":"second"}]}""");
        await AssertMap(Alias, """{"vertex":[{"name":"a","alias":"first"}]}""");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"items":{}}""")]
    [InlineData("""{"codex":[]}""")]
    public async Task Alias_put_empty_map_clears_and_keeps_an_empty_mapping_in_the_file(string body)
    {
        await G.Ok("PUT", Alias, """{"codex":[{"name":"a","alias":"b"}]}""");
        await G.Ok("PUT", Alias, body);
        await AssertEmptyMap(Alias);
        Assert.Matches(@"(?m)^oauth-model-alias: \{\}\s*$", G.FileText());
    }

    /// <summary>A refusal of each kind; every refusal of the resource is a theory in <c>Domain/Config/OAuthMapRulesTests</c>.</summary>
    [Theory]
    [InlineData("null")]
    [InlineData("""{"codex":[{"name":"a","alias":"b","fork":"yes"}]}""")]
    public async Task Alias_put_invalid_body_answers_400_and_changes_nothing(string body)
    {
        await G.Ok("PUT", Alias, """{"codex":[{"name":"keep","alias":"kept"}]}""");
        var file = G.FileText();
        Mgmt.AssertError(await G.Call("PUT", Alias, body), 400, "invalid body");
        await AssertMap(Alias, """{"codex":[{"name":"keep","alias":"kept"}]}""");
        Assert.Equal(file, G.FileText());
    }

    [Fact]
    public async Task Alias_patch_by_channel_replaces_the_list()
    {
        await G.Ok("PUT", Alias, """{"claude":[{"name":"o","alias":"old"}],"codex":[{"name":"c","alias":"cc"}]}""");
        await G.Ok("PATCH", Alias, """{"channel":" Claude ","aliases":[{"name":" n ","alias":" new ","fork":true},{"name":"bad","alias":""}]}""");
        await AssertMap(Alias, """{"claude":[{"name":"n","alias":"new","fork":true}],"codex":[{"name":"c","alias":"cc"}]}""");
    }

    [Fact]
    public async Task Alias_patch_falls_back_to_provider_when_channel_is_absent()
    {
        await G.Ok("PUT", Alias, """{"codex":[{"name":"c","alias":"cc"}]}""");
        await G.Ok("PATCH", Alias, """{"provider":"Antigravity","aliases":[{"name":"m","alias":"ag"}]}""");
        await AssertMap(Alias, """{"codex":[{"name":"c","alias":"cc"}],"antigravity":[{"name":"m","alias":"ag"}]}""");
    }

    [Theory]
    [InlineData("""{"channel":"codex","aliases":[]}""")]
    [InlineData("""{"channel":"codex"}""")]
    [InlineData("""{"provider":"CODEX","aliases":[{"name":"a","alias":"A"}]}""")]
    public async Task Alias_patch_with_no_usable_aliases_deletes_the_channel(string body)
    {
        await G.Ok("PUT", Alias, """{"codex":[{"name":"c","alias":"cc"}],"kimi":[{"name":"k","alias":"kk"}]}""");
        await G.Ok("PATCH", Alias, body);
        await AssertMap(Alias, """{"kimi":[{"name":"k","alias":"kk"}]}""");
        Assert.DoesNotContain("  codex:", Section("oauth-model-alias"));
        Assert.Contains("  kimi:", Section("oauth-model-alias"));
    }

    [Theory]
    [InlineData("", 400, "invalid body")]
    [InlineData("{", 400, "invalid body")]
    [InlineData("""{"channel":5,"aliases":[]}""", 400, "invalid body")]
    [InlineData("""{"channel":"codex","aliases":{}}""", 400, "invalid body")]
    [InlineData("{}", 400, "invalid channel")]
    [InlineData("""{"aliases":[{"name":"a","alias":"b"}]}""", 400, "invalid channel")]
    [InlineData("""{"channel":"  ","provider":"codex","aliases":[{"name":"a","alias":"b"}]}""", 400, "invalid channel")]
    [InlineData("""{"channel":"nobody","aliases":[]}""", 404, "channel not found")]
    public async Task Alias_patch_errors(string body, int status, string message)
    {
        await G.Ok("PUT", Alias, """{"codex":[{"name":"c","alias":"cc"}]}""");
        Mgmt.AssertError(await G.Call("PATCH", Alias, body), status, message);
        await AssertMap(Alias, """{"codex":[{"name":"c","alias":"cc"}]}""");
    }

    [Theory]
    [InlineData("?channel=%20Codex%20")]
    [InlineData("?provider=codex")]
    [InlineData("?channel=codex&provider=kimi")]
    public async Task Alias_delete_removes_the_channel(string query)
    {
        await G.Ok("PUT", Alias, """{"codex":[{"name":"c","alias":"cc"}],"kimi":[{"name":"k","alias":"kk"}]}""");
        await G.Ok("DELETE", Alias + query);
        await AssertMap(Alias, """{"kimi":[{"name":"k","alias":"kk"}]}""");
    }

    [Theory]
    [InlineData("", 400, "missing channel")]
    [InlineData("?channel=", 400, "missing channel")]
    [InlineData("?channel=%20", 400, "missing channel")]
    [InlineData("?name=codex", 400, "missing channel")]
    [InlineData("?channel=nobody", 404, "channel not found")]
    public async Task Alias_delete_errors(string query, int status, string message)
    {
        await G.Ok("PUT", Alias, """{"codex":[{"name":"c","alias":"cc"}]}""");
        Mgmt.AssertError(await G.Call("DELETE", Alias + query), status, message);
        await AssertMap(Alias, """{"codex":[{"name":"c","alias":"cc"}]}""");
    }
}
