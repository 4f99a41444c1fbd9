using System.Text.Json.Nodes;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>PUT of a provider list: replace, validation and normalisation.</summary>
public sealed partial class ProviderListsTests
{
    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Put_array_replaces_the_list_and_persists_it(string key)
    {
        var l = ProviderListInfo.Of(key);
        await Arrange(l, l.E("old-1"));
        await G.Ok("PUT", l.Route, ProviderListInfo.Arr(l.E("put-a"), l.E("put-b", "https://b.example.com")));
        await AssertList(l, l.E("put-a"), l.E("put-b", "https://b.example.com"));
        var file = G.FileText();
        Assert.Contains("put-a", file);
        Assert.Contains("https://b.example.com", file);
        Assert.DoesNotContain("old-1", file);
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Put_items_wrapper_replaces_the_list(string key)
    {
        var l = ProviderListInfo.Of(key);
        await Arrange(l, l.E("old-1"));
        await G.Ok("PUT", l.Route, $$"""{"items":{{ProviderListInfo.Arr(l.E("wrapped-1"), l.E("wrapped-2"))}}}""");
        await AssertList(l, l.E("wrapped-1"), l.E("wrapped-2"));
    }

    public static TheoryData<string, string> EmptyBodies => Cross("[]", """{"items":[]}""");

    [Theory]
    [MemberData(nameof(EmptyBodies))]
    public async Task Put_empty_list_clears(string key, string body)
    {
        var l = ProviderListInfo.Of(key);
        await Arrange(l, l.E("to-clear-1"), l.E("to-clear-2"));
        await G.Ok("PUT", l.Route, body);
        await AssertList(l);
        Assert.DoesNotContain("to-clear-1", G.FileText());
    }

    /// <summary>
    /// One body of each kind (not JSON, not a list, an entry field of the wrong type); every invalid body
    /// of every list is a theory of the resource (<c>Domain/Config/ProviderListRulesTests</c>).
    /// </summary>
    public static TheoryData<string, string> InvalidPutBodies => Cross("null", "not json", "{}", "ID:PRIORITY");

    [Theory]
    [MemberData(nameof(InvalidPutBodies))]
    public async Task Put_invalid_body_answers_400_and_changes_nothing(string key, string body)
    {
        var l = ProviderListInfo.Of(key);
        body = CliProxy.Tests.Domain.Config.ProviderListRulesTests.InvalidBody(l, body);
        await Arrange(l, l.E("keep-me"));
        var file = G.FileText();
        Mgmt.AssertError(await G.Call("PUT", l.Route, body), 400, "invalid body");
        await AssertList(l, l.E("keep-me"));
        Assert.Equal(file, G.FileText());
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Put_entry_without_its_id_answers_400_naming_the_entry(string key)
    {
        var l = ProviderListInfo.Of(key);
        await Arrange(l, l.E("keep-me"));
        var file = G.FileText();
        var missing = new JsonObject { ["base-url"] = "https://x.example", ["prefix"] = "p" }.ToJsonString();
        Mgmt.AssertError(await G.Call("PUT", l.Route, ProviderListInfo.Arr(l.E("fine"), missing)), 400, $"{key}[1]: {l.Id} is required");
        Mgmt.AssertError(await G.Call("PUT", l.Route, ProviderListInfo.Arr(l.E("   "), l.E("fine"))), 400, $"{key}[0]: {l.Id} is required");
        await AssertList(l, l.E("keep-me"));
        Assert.Equal(file, G.FileText());
    }

    [Theory]
    [InlineData("codex-api-key")]
    [InlineData("openai-compatibility")]
    [InlineData("vertex-api-key")]
    public async Task Put_entry_without_base_url_answers_400_for_lists_that_need_one(string key)
    {
        var l = ProviderListInfo.Of(key);
        await Arrange(l, l.E("keep-me"));
        var file = G.FileText();
        var noUrl = new JsonObject { [l.Id] = "no-url" }.ToJsonString();
        var blankUrl = new JsonObject { [l.Id] = "blank-url", ["base-url"] = "   " }.ToJsonString();
        Mgmt.AssertError(await G.Call("PUT", l.Route, ProviderListInfo.Arr(l.E("fine"), noUrl)), 400, $"{key}[1]: base-url is required");
        Mgmt.AssertError(await G.Call("PUT", l.Route, ProviderListInfo.Arr(blankUrl)), 400, $"{key}[0]: base-url is required");
        await AssertList(l, l.E("keep-me"));
        Assert.Equal(file, G.FileText());
    }

    [Theory]
    [InlineData("gemini-api-key")]
    [InlineData("claude-api-key")]
    public async Task Put_entry_without_base_url_is_fine_for_gemini_and_claude(string key)
    {
        var l = ProviderListInfo.Of(key);
        await G.Ok("PUT", l.Route, """[{"api-key":"no-url-needed"}]""");
        await AssertList(l, """{"api-key":"no-url-needed"}""");
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Put_prefix_is_trimmed_of_slashes_and_a_slash_inside_is_refused(string key)
    {
        var l = ProviderListInfo.Of(key);
        await G.Ok("PUT", l.Route, ProviderListInfo.Arr(
            l.E("p1", extra: """{"prefix":" /team/ "}"""), l.E("p2", extra: """{"prefix":"//"}"""), l.E("p3", extra: """{"prefix":"plain"}""")));
        await AssertList(l, l.E("p1", extra: """{"prefix":"team"}"""), l.E("p2"), l.E("p3", extra: """{"prefix":"plain"}"""));
        var file = G.FileText();
        Mgmt.AssertError(await G.Call("PUT", l.Route, ProviderListInfo.Arr(l.E("ok"), l.E("bad", extra: """{"prefix":"/a/b/"}"""))),
            400, $"{key}[1]: prefix must not contain '/'");
        Assert.Equal(file, G.FileText());
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Put_duplicate_id_and_base_url_answers_400_naming_both_entries(string key)
    {
        var l = ProviderListInfo.Of(key);
        await Arrange(l, l.E("keep-me"));
        var file = G.FileText();
        var url = l.RequiresBaseUrl ? ProviderListInfo.DefaultUrl : null;
        Mgmt.AssertError(await G.Call("PUT", l.Route, ProviderListInfo.Arr(l.E("dup", url), l.E("other", url), l.E(" dup ", url))),
            400, l.Duplicate(2, 0));
        Mgmt.AssertError(await G.Call("PUT", l.Route, ProviderListInfo.Arr(l.E("x", "https://u.example"), l.E("x", " https://u.example "))),
            400, l.Duplicate(1, 0));
        await AssertList(l, l.E("keep-me"));
        Assert.Equal(file, G.FileText());
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Put_same_id_with_different_base_urls_is_allowed(string key)
    {
        var l = ProviderListInfo.Of(key);
        await G.Ok("PUT", l.Route, ProviderListInfo.Arr(l.E("same", "https://one.example"), l.E("same", "https://two.example")));
        await AssertList(l, l.E("same", "https://one.example"), l.E("same", "https://two.example"));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Put_trims_strings_and_normalises_headers(string key)
    {
        var l = ProviderListInfo.Of(key);
        var entry = new JsonObject
        {
            [l.Id] = "  spaced-id  ",
            ["base-url"] = "  https://spaced.example.com  ",
            ["prefix"] = "  pre  ",
            ["headers"] = new JsonObject { [" X-A "] = " 1 ", ["X-Blank"] = "   ", ["  "] = "v", ["X-C"] = "c" },
        };
        if (l.Fields.Contains("proxy-url")) entry["proxy-url"] = "  socks5://spaced:1080  ";
        var blankHeaders = new JsonObject { [l.Id] = "only-blank-headers", ["base-url"] = "https://h.example", ["headers"] = new JsonObject { ["X-Empty"] = "" } };
        await G.Ok("PUT", l.Route, new JsonArray(entry, blankHeaders).ToJsonString());
        var expected = new JsonObject
        {
            [l.Id] = "spaced-id",
            ["base-url"] = "https://spaced.example.com",
            ["prefix"] = "pre",
            ["headers"] = new JsonObject { ["X-A"] = "1", ["X-C"] = "c" },
        };
        if (l.Fields.Contains("proxy-url")) expected["proxy-url"] = "socks5://spaced:1080";
        var list = await Get(l);
        Mgmt.AssertEntries(list, expected.ToJsonString(), l.E("only-blank-headers", "https://h.example"));
        Assert.False(list![1]!.AsObject().ContainsKey("headers") && !Mgmt.IsEmpty(list[1]!["headers"]), list.ToJsonString());
    }

    [Theory]
    [InlineData("gemini-api-key")]
    [InlineData("claude-api-key")]
    [InlineData("codex-api-key")]
    public async Task Put_normalises_excluded_models(string key)
    {
        var l = ProviderListInfo.Of(key);
        await G.Ok("PUT", l.Route, ProviderListInfo.Arr(
            l.E("ex-1", extra: """{"excluded-models":[" GPT-5 ","gpt-5","","  ","Claude-*"]}"""),
            l.E("ex-2", extra: """{"excluded-models":["",""]}""")));
        await AssertList(l, l.E("ex-1", extra: """{"excluded-models":["gpt-5","claude-*"]}"""), l.E("ex-2"));
    }

    [Theory]
    [InlineData("claude-api-key")]
    [InlineData("codex-api-key")]
    public async Task Put_trims_models_and_drops_only_fully_blank_ones(string key)
    {
        var l = ProviderListInfo.Of(key);
        await G.Ok("PUT", l.Route, ProviderListInfo.Arr(l.E("m", extra:
            """{"models":[{"name":" m1 ","alias":" a1 "},{"name":" ","alias":""},{"name":"m2","alias":""},{"name":"","alias":"a3"}]}""")));
        await AssertList(l, l.E("m", extra: """{"models":[{"name":"m1","alias":"a1"},{"name":"m2","alias":""},{"name":"","alias":"a3"}]}"""));
    }

    [Fact]
    public async Task Put_vertex_drops_models_with_a_blank_name_or_alias()
    {
        var l = ProviderListInfo.Of("vertex-api-key");
        await G.Ok("PUT", l.Route, ProviderListInfo.Arr(l.E("vm", extra:
            """{"models":[{"name":" m1 ","alias":" a1 "},{"name":"m2","alias":""},{"name":"","alias":"a3"}]}""")));
        await AssertList(l, l.E("vm", extra: """{"models":[{"name":"m1","alias":"a1"}]}"""));
    }

    [Fact]
    public async Task Put_openai_trims_api_key_entry_keys()
    {
        var l = ProviderListInfo.Of("openai-compatibility");
        await G.Ok("PUT", l.Route, ProviderListInfo.Arr(l.E("prov", extra:
            """{"api-key-entries":[{"api-key":"  k1  ","proxy-url":"socks5://p:1"},{"api-key":"k2"}]}""")));
        await AssertList(l, l.E("prov", extra: """{"api-key-entries":[{"api-key":"k1","proxy-url":"socks5://p:1"},{"api-key":"k2"}]}"""));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Put_accepts_every_schema_field(string key)
    {
        var l = ProviderListInfo.Of(key);
        var entry = l.FullValue();
        entry[l.Id] = "every-field";
        await G.Ok("PUT", l.Route, new JsonArray(entry.DeepClone()).ToJsonString());
        await AssertList(l, entry.ToJsonString());
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Put_matches_property_names_case_insensitively_and_ignores_unknown_ones(string key)
    {
        var l = ProviderListInfo.Of(key);
        var body = "[{\"" + l.Id.ToUpperInvariant() + "\":\"ci-id\",\"Base-URL\":\"https://ci.example\",\"PREFIX\":\"ci\",\"unknown-field\":{\"a\":1}}]";
        await G.Ok("PUT", l.Route, body);
        await AssertList(l, l.E("ci-id", "https://ci.example", """{"prefix":"ci"}"""));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Put_failure_on_a_later_entry_keeps_the_whole_old_list(string key)
    {
        var l = ProviderListInfo.Of(key);
        await Arrange(l, l.E("old-a"), l.E("old-b"));
        var r = await G.Call("PUT", l.Route, ProviderListInfo.Arr(l.E("new-a"), l.E("new-b"), l.E("")));
        Mgmt.AssertError(r, 400, $"{key}[2]: {l.Id} is required");
        await AssertList(l, l.E("old-a"), l.E("old-b"));
    }
}
