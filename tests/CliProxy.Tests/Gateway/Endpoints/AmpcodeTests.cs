using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// <c>/ampcode</c>, <c>/ampcode/model-mappings</c> and <c>/ampcode/upstream-api-keys</c> (spec §11 with
/// correction 4: no silent clears). The ampcode scalars are covered by <see cref="ScalarSettingsTests"/>.
/// Every test first PUTs the list it works on.
/// </summary>
[Http]
public sealed class AmpcodeTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private const string Mappings = "/ampcode/model-mappings";
    private const string Upstream = "/ampcode/upstream-api-keys";

    private TestGateway G => fixture.Gateway;

    private async Task AssertList(string route, string key, string expected)
    {
        var r = await G.Call("GET", route);
        Assert.Equal(200, r.Status);
        Mgmt.AssertJson($$"""{"{{key}}":{{expected}}}""", r.Body);
    }

    private async Task AssertEmpty(string route, string key)
    {
        var json = (await G.GetJson(route)).AsObject();
        Assert.Single(json);
        Assert.True(Mgmt.IsEmpty(json[key]), json.ToJsonString());
    }

    private Task AssertMappings(string expected) => AssertList(Mappings, "model-mappings", expected);

    private Task AssertUpstream(string expected) => AssertList(Upstream, "upstream-api-keys", expected);

    private const string TwoMappings = """{"value":[{"from":"a","to":"1"},{"from":"b","to":"2","regex":true}]}""";

    // ------------------------------------------------------------ GET /ampcode

    [Fact]
    public async Task Get_ampcode_reflects_every_part_of_the_section()
    {
        await G.Ok("PUT", "/ampcode/upstream-url", """{"value":"https://amp.section.example"}""");
        await G.Ok("PUT", "/ampcode/upstream-api-key", """{"value":"amp-section-key"}""");
        await G.Ok("PUT", "/ampcode/restrict-management-to-localhost", """{"value":false}""");
        await G.Ok("PUT", "/ampcode/force-model-mappings", """{"value":true}""");
        await G.Ok("PUT", Mappings, """{"value":[{"from":"x","to":"y"}]}""");
        await G.Ok("PUT", Upstream, """{"value":[{"upstream-api-key":"u","api-keys":["k"]}]}""");
        Mgmt.AssertJson("""
            {"ampcode":{"upstream-url":"https://amp.section.example","upstream-api-key":"amp-section-key",
             "upstream-api-keys":[{"upstream-api-key":"u","api-keys":["k"]}],"restrict-management-to-localhost":false,
             "model-mappings":[{"from":"x","to":"y"}],"force-model-mappings":true}}
            """, (await G.Call("GET", "/ampcode")).Body);
    }

    [Fact]
    public async Task Get_ampcode_omits_upstream_api_keys_when_empty()
    {
        await G.Ok("PUT", Upstream, """{"value":[]}""");
        var ampcode = (await G.GetJson("/ampcode"))["ampcode"]!.AsObject();
        Assert.False(ampcode.ContainsKey("upstream-api-keys"), ampcode.ToJsonString());
    }

    [Theory]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    [InlineData("POST")]
    public async Task Ampcode_section_route_is_read_only(string method)
    {
        var r = await G.Call(method, "/ampcode", "{}");
        Assert.Equal(404, r.Status);
        Assert.Equal("404 page not found", r.Body);
    }

    // ------------------------------------------------------------ model-mappings

    [Fact]
    public async Task Mappings_put_stores_the_list_verbatim()
    {
        await G.Ok("PUT", Mappings, """{"value":[{"from":" a ","to":" b "},{"from":"c","to":"d","regex":true},{"from":"c","to":"d"},{"from":"","to":""}]}""");
        await AssertMappings("""[{"from":" a ","to":" b "},{"from":"c","to":"d","regex":true},{"from":"c","to":"d"},{"from":"","to":""}]""");
        Assert.Contains("regex: true", G.FileText());
    }

    [Fact]
    public async Task Mappings_put_empty_value_clears()
    {
        await G.Ok("PUT", Mappings, TwoMappings);
        await G.Ok("PUT", Mappings, """{"value":[]}""");
        await AssertEmpty(Mappings, "model-mappings");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{}")]
    [InlineData("""{"value":null}""")]
    [InlineData("""{"values":[]}""")]
    [InlineData("""{"value":"x"}""")]
    [InlineData("""{"value":{"from":"a","to":"b"}}""")]
    [InlineData("""{"value":[1]}""")]
    [InlineData("""{"value":[{"from":1,"to":"b"}]}""")]
    [InlineData("""{"value":[{"from":"a","to":"b","regex":"yes"}]}""")]
    [InlineData("""[{"from":"a","to":"b"}]""")]
    public async Task Mappings_put_invalid_body_answers_400_and_keeps_the_list(string body)
    {
        await G.Ok("PUT", Mappings, TwoMappings);
        var file = G.FileText();
        Mgmt.AssertError(await G.Call("PUT", Mappings, body), 400, "invalid body");
        await AssertMappings("""[{"from":"a","to":"1"},{"from":"b","to":"2","regex":true}]""");
        Assert.Equal(file, G.FileText());
    }

    [Fact]
    public async Task Mappings_patch_upserts_by_trimmed_from()
    {
        await G.Ok("PUT", Mappings, TwoMappings);
        await G.Ok("PATCH", Mappings, """{"value":[{"from":" a ","to":"3"},{"from":"c","to":"4"},{"from":"c","to":"5","regex":true}]}""");
        await AssertMappings("""[{"from":" a ","to":"3"},{"from":"b","to":"2","regex":true},{"from":"c","to":"5","regex":true}]""");
    }

    [Fact]
    public async Task Mappings_patch_targets_the_last_of_duplicate_froms()
    {
        await G.Ok("PUT", Mappings, """{"value":[{"from":"d","to":"first"},{"from":"d ","to":"second"}]}""");
        await G.Ok("PATCH", Mappings, """{"value":[{"from":"d","to":"patched"}]}""");
        await AssertMappings("""[{"from":"d","to":"first"},{"from":"d","to":"patched"}]""");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"value":"x"}""")]
    [InlineData("""{"value":[{"from":true}]}""")]
    public async Task Mappings_patch_invalid_body_answers_400(string body)
    {
        await G.Ok("PUT", Mappings, TwoMappings);
        Mgmt.AssertError(await G.Call("PATCH", Mappings, body), 400, "invalid body");
        await AssertMappings("""[{"from":"a","to":"1"},{"from":"b","to":"2","regex":true}]""");
    }

    [Fact]
    public async Task Mappings_delete_removes_entries_by_trimmed_from()
    {
        await G.Ok("PUT", Mappings, """{"value":[{"from":"a","to":"1"},{"from":" a","to":"1b"},{"from":"b","to":"2"},{"from":"c","to":"3"}]}""");
        await G.Ok("DELETE", Mappings, """{"value":[" a ","c","not-there"]}""");
        await AssertMappings("""[{"from":"b","to":"2"}]""");
    }

    [Fact]
    public async Task Mappings_delete_matching_nothing_answers_200_and_keeps_the_list()
    {
        await G.Ok("PUT", Mappings, TwoMappings);
        await G.Ok("DELETE", Mappings, """{"value":["zzz"]}""");
        await AssertMappings("""[{"from":"a","to":"1"},{"from":"b","to":"2","regex":true}]""");
    }

    [Theory]
    [InlineData(null, "invalid body")]
    [InlineData("", "invalid body")]
    [InlineData("{", "invalid body")]
    [InlineData("garbage", "invalid body")]
    [InlineData("""{"value":"a"}""", "invalid body")]
    [InlineData("{}", "missing value")]
    [InlineData("""{"value":null}""", "missing value")]
    [InlineData("""{"value":[]}""", "missing value")]
    public async Task Mappings_delete_without_values_answers_400_and_clears_nothing(string? body, string message)
    {
        await G.Ok("PUT", Mappings, TwoMappings);
        var file = G.FileText();
        Mgmt.AssertError(await G.Call("DELETE", Mappings, body), 400, message);
        await AssertMappings("""[{"from":"a","to":"1"},{"from":"b","to":"2","regex":true}]""");
        Assert.Equal(file, G.FileText());
    }

    // ------------------------------------------------------------ upstream-api-keys

    private const string TwoUpstream = """{"value":[{"upstream-api-key":"u1","api-keys":["k1"]},{"upstream-api-key":"u2","api-keys":["k2","k3"]}]}""";
    private const string TwoUpstreamExpected = """[{"upstream-api-key":"u1","api-keys":["k1"]},{"upstream-api-key":"u2","api-keys":["k2","k3"]}]""";

    [Fact]
    public async Task Upstream_put_normalises_entries()
    {
        await G.Ok("PUT", Upstream, """
            {"value":[{"upstream-api-key":" u1 ","api-keys":[" k1 ",""," k2","  "]},{"upstream-api-key":"  ","api-keys":["x"]},
                      {"upstream-api-key":"u2"},{"upstream-api-key":"u3","api-keys":[" "]}]}
            """);
        var list = (await G.GetJson(Upstream))["upstream-api-keys"]!.AsArray();
        Assert.Equal(3, list.Count);
        Mgmt.AssertJson("""{"upstream-api-key":"u1","api-keys":["k1","k2"]}""", list[0]);
        Assert.Equal("u2", (string?)list[1]!["upstream-api-key"]);
        Assert.True(Mgmt.IsEmpty(list[1]!["api-keys"]));
        Assert.Equal("u3", (string?)list[2]!["upstream-api-key"]);
        Assert.True(Mgmt.IsEmpty(list[2]!["api-keys"]));
    }

    [Fact]
    public async Task Upstream_put_empty_value_clears_and_the_file_forgets_the_entries()
    {
        await G.Ok("PUT", Upstream, """{"value":[{"upstream-api-key":"upstream-to-forget","api-keys":["k"]}]}""");
        Assert.Contains("upstream-to-forget", G.FileText());
        await G.Ok("PUT", Upstream, """{"value":[]}""");
        await AssertEmpty(Upstream, "upstream-api-keys");
        Assert.DoesNotContain("upstream-to-forget", G.FileText());
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("{}")]
    [InlineData("""{"value":null}""")]
    [InlineData("""{"value":"u"}""")]
    [InlineData("""{"value":[{"upstream-api-key":1}]}""")]
    [InlineData("""{"value":[{"upstream-api-key":"u","api-keys":"k"}]}""")]
    public async Task Upstream_put_invalid_body_answers_400_and_keeps_the_list(string body)
    {
        await G.Ok("PUT", Upstream, TwoUpstream);
        var file = G.FileText();
        Mgmt.AssertError(await G.Call("PUT", Upstream, body), 400, "invalid body");
        await AssertUpstream(TwoUpstreamExpected);
        Assert.Equal(file, G.FileText());
    }

    [Fact]
    public async Task Upstream_patch_upserts_by_trimmed_key_and_skips_blank_keys()
    {
        await G.Ok("PUT", Upstream, TwoUpstream);
        await G.Ok("PATCH", Upstream, """
            {"value":[{"upstream-api-key":" u2 ","api-keys":[" k9 "]},{"upstream-api-key":"u3","api-keys":["k3"]},{"upstream-api-key":" ","api-keys":["skip"]}]}
            """);
        await AssertUpstream("""[{"upstream-api-key":"u1","api-keys":["k1"]},{"upstream-api-key":"u2","api-keys":["k9"]},{"upstream-api-key":"u3","api-keys":["k3"]}]""");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("""{"value":{}}""")]
    public async Task Upstream_patch_invalid_body_answers_400(string body)
    {
        await G.Ok("PUT", Upstream, TwoUpstream);
        Mgmt.AssertError(await G.Call("PATCH", Upstream, body), 400, "invalid body");
        await AssertUpstream(TwoUpstreamExpected);
    }

    [Fact]
    public async Task Upstream_delete_removes_entries_by_trimmed_key()
    {
        await G.Ok("PUT", Upstream, TwoUpstream);
        await G.Ok("DELETE", Upstream, """{"value":[" u1 ","zzz"]}""");
        await AssertUpstream("""[{"upstream-api-key":"u2","api-keys":["k2","k3"]}]""");
    }

    [Fact]
    public async Task Upstream_delete_matching_nothing_answers_200()
    {
        await G.Ok("PUT", Upstream, TwoUpstream);
        await G.Ok("DELETE", Upstream, """{"value":["zzz"]}""");
        await AssertUpstream(TwoUpstreamExpected);
    }

    [Fact]
    public async Task Upstream_delete_with_empty_array_clears_all()
    {
        await G.Ok("PUT", Upstream, TwoUpstream);
        await G.Ok("DELETE", Upstream, """{"value":[]}""");
        await AssertEmpty(Upstream, "upstream-api-keys");
    }

    [Theory]
    [InlineData(null, "invalid body")]
    [InlineData("", "invalid body")]
    [InlineData("{", "invalid body")]
    [InlineData("""{"value":"u1"}""", "invalid body")]
    [InlineData("{}", "missing value")]
    [InlineData("""{"value":null}""", "missing value")]
    [InlineData("""{"value":["  ",""]}""", "empty value")]
    public async Task Upstream_delete_errors(string? body, string message)
    {
        await G.Ok("PUT", Upstream, TwoUpstream);
        Mgmt.AssertError(await G.Call("DELETE", Upstream, body), 400, message);
        await AssertUpstream(TwoUpstreamExpected);
    }
}
