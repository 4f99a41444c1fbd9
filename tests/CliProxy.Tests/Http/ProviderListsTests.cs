using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Http;

/// <summary>One provider credential list (spec §9) and what the tests need to know about it.</summary>
public sealed record ProviderListInfo(string Key, string Id, string Selector, bool RequiresBaseUrl, string[] Fields)
{
    /// <summary>The five lists.</summary>
    public static readonly ProviderListInfo[] All =
    [
        new("gemini-api-key", "api-key", "match", false, ["priority", "prefix", "base-url", "proxy-url", "models", "headers", "excluded-models"]),
        new("claude-api-key", "api-key", "match", false, ["priority", "prefix", "base-url", "proxy-url", "models", "headers", "excluded-models", "cloak"]),
        new("codex-api-key", "api-key", "match", true, ["priority", "prefix", "base-url", "websockets", "proxy-url", "models", "headers", "excluded-models"]),
        new("openai-compatibility", "name", "name", true, ["priority", "prefix", "base-url", "api-key-entries", "models", "headers"]),
        new("vertex-api-key", "api-key", "match", true, ["priority", "prefix", "base-url", "proxy-url", "headers", "models"]),
    ];

    /// <summary>Looks a list up by its key.</summary>
    public static ProviderListInfo Of(string key) => All.Single(l => l.Key == key);

    /// <summary>Route of the list.</summary>
    public string Route => "/" + Key;

    /// <summary>Base URL used when a test needs one but does not care which.</summary>
    public const string DefaultUrl = "https://api.example.com/v1";

    /// <summary>The 400 message of a DELETE without selector.</summary>
    public string MissingSelector => Id == "name" ? "missing name or index" : "missing api-key or index";

    /// <summary>An entry as JSON text: the id, a base-url (always for lists that require one) and extra fields.</summary>
    public string E(string id, string? url = null, string? extra = null)
    {
        var o = new JsonObject { [Id] = id };
        if (url is not null || RequiresBaseUrl) o["base-url"] = url ?? DefaultUrl;
        if (extra is not null)
            foreach (var (k, v) in JsonNode.Parse(extra)!.AsObject()) o[k] = v?.DeepClone();
        return o.ToJsonString();
    }

    /// <summary>A JSON array of entries.</summary>
    public static string Arr(params string[] entries) => "[" + string.Join(",", entries) + "]";

    /// <summary>The "duplicate" message.</summary>
    public string Duplicate(int later, int earlier) => $"{Key}[{later}]: duplicate of {Key}[{earlier}] (same {Id} and base-url)";

    /// <summary>A value for every schema field of this list (for PUT round trips and PATCH of any field).</summary>
    public JsonObject FullValue()
    {
        var o = new JsonObject
        {
            ["priority"] = 9,
            ["prefix"] = "full",
            ["base-url"] = "https://full.example.com",
            ["headers"] = new JsonObject { ["X-Full"] = "yes" },
            ["models"] = new JsonArray(new JsonObject { ["name"] = "model-full", ["alias"] = "alias-full" }),
        };
        if (Fields.Contains("proxy-url")) o["proxy-url"] = "socks5://full.proxy:1080";
        if (Fields.Contains("excluded-models")) o["excluded-models"] = new JsonArray("full-excluded-*");
        if (Fields.Contains("cloak")) o["cloak"] = new JsonObject { ["mode"] = "always", ["strict-mode"] = true, ["sensitive-words"] = new JsonArray("secret") };
        if (Fields.Contains("websockets")) o["websockets"] = true;
        if (Fields.Contains("api-key-entries"))
            o["api-key-entries"] = new JsonArray(new JsonObject { ["api-key"] = "entry-key-1", ["proxy-url"] = "socks5://entry:1" }, new JsonObject { ["api-key"] = "entry-key-2" });
        return o;
    }
}

/// <summary>
/// The five provider credential lists (spec §9 with correction 1: one consistent contract for all
/// lists). Every test first PUTs the list it works on, so tests do not depend on each other.
/// </summary>
public sealed class ProviderListsTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private GatewayProcess G => fixture.Gateway;

    public static TheoryData<string> Lists()
    {
        var data = new TheoryData<string>();
        foreach (var l in ProviderListInfo.All) data.Add(l.Key);
        return data;
    }

    private static TheoryData<string, string> Cross(params string[] values)
    {
        var data = new TheoryData<string, string>();
        foreach (var l in ProviderListInfo.All)
            foreach (var v in values)
                data.Add(l.Key, v);
        return data;
    }

    private async Task Arrange(ProviderListInfo l, params string[] entries) => await G.Ok("PUT", l.Route, ProviderListInfo.Arr(entries));

    private async Task<JsonNode?> Get(ProviderListInfo l)
    {
        var json = await G.GetJson(l.Route);
        Assert.Single(json.AsObject());
        return json[l.Key];
    }

    private async Task AssertList(ProviderListInfo l, params string[] expected) => Mgmt.AssertEntries(await Get(l), expected);

    // ---------------------------------------------------------------- PUT

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

    public static TheoryData<string, string> InvalidPutBodies => Cross(
        "null", "", "  ", "[", "{", "not json", "{}", """{"items":null}""", """{"items":"x"}""", """{"items":{}}""", """{"list":[]}""",
        """["entry"]""", "[1]", "[[]]", "[true]", "42", "\"text\"", "[] []", "[]x",
        "ID:5", "ID:PRIORITY", "ID:HEADERS", "ID:PREFIX", "ID:MODELS", "ID:BASEURL");

    [Theory]
    [MemberData(nameof(InvalidPutBodies))]
    public async Task Put_invalid_body_answers_400_and_changes_nothing(string key, string body)
    {
        var l = ProviderListInfo.Of(key);
        body = body switch
        {
            "ID:5" => $$"""[{"{{l.Id}}":5,"base-url":"https://x.example"}]""",
            "ID:PRIORITY" => ProviderListInfo.Arr(l.E("typed", extra: """{"priority":"high"}""")),
            "ID:HEADERS" => ProviderListInfo.Arr(l.E("typed", extra: """{"headers":["X-A"]}""")),
            "ID:PREFIX" => ProviderListInfo.Arr(l.E("typed", extra: """{"prefix":1}""")),
            "ID:MODELS" => ProviderListInfo.Arr(l.E("typed", extra: """{"models":"m"}""")),
            "ID:BASEURL" => ProviderListInfo.Arr(l.E("typed", extra: """{"base-url":true}""")),
            _ => body,
        };
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

    // ---------------------------------------------------------------- PATCH

    private async Task ArrangeThree(ProviderListInfo l) =>
        await Arrange(l, l.E("a", extra: """{"prefix":"pa"}"""), l.E("b", extra: """{"prefix":"pb"}"""), l.E("c", extra: """{"prefix":"pc"}"""));

    private string Sel(ProviderListInfo l, string value) => $"\"{l.Selector}\":{JsonValue.Create(value)!.ToJsonString()}";

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Patch_by_index_changes_only_that_entry(string key)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        await G.Ok("PATCH", l.Route, """{"index":1,"value":{"prefix":"changed"}}""");
        await AssertList(l, l.E("a", extra: """{"prefix":"pa"}"""), l.E("b", extra: """{"prefix":"changed"}"""), l.E("c", extra: """{"prefix":"pc"}"""));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Patch_by_trimmed_selector_changes_the_matching_entry(string key)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        await G.Ok("PATCH", l.Route, "{" + Sel(l, "  c  ") + ",\"value\":{\"prefix\":\"by-selector\"}}");
        await AssertList(l, l.E("a", extra: """{"prefix":"pa"}"""), l.E("b", extra: """{"prefix":"pb"}"""), l.E("c", extra: """{"prefix":"by-selector"}"""));
    }

    public static TheoryData<string, string> OutOfRangeIndexes => Cross("3", "99", "-1");

    [Theory]
    [MemberData(nameof(OutOfRangeIndexes))]
    public async Task Patch_out_of_range_index_falls_back_to_the_selector(string key, string index)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        await G.Ok("PATCH", l.Route, "{\"index\":" + index + "," + Sel(l, "a") + ",\"value\":{\"prefix\":\"fallback\"}}");
        await AssertList(l, l.E("a", extra: """{"prefix":"fallback"}"""), l.E("b", extra: """{"prefix":"pb"}"""), l.E("c", extra: """{"prefix":"pc"}"""));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Patch_index_in_range_wins_over_the_selector(string key)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        await G.Ok("PATCH", l.Route, "{\"index\":2," + Sel(l, "a") + ",\"value\":{\"prefix\":\"index-wins\"}}");
        await AssertList(l, l.E("a", extra: """{"prefix":"pa"}"""), l.E("b", extra: """{"prefix":"pb"}"""), l.E("c", extra: """{"prefix":"index-wins"}"""));
    }

    public static TheoryData<string, string> NotFoundPatches => Cross("zzz", "A", "  ", "NONE", "OUT");

    [Theory]
    [MemberData(nameof(NotFoundPatches))]
    public async Task Patch_that_selects_nothing_answers_404(string key, string selector)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        var file = G.FileText();
        var body = selector switch
        {
            "NONE" => """{"value":{"prefix":"x"}}""",
            "OUT" => """{"index":3,"value":{"prefix":"x"}}""",
            _ => "{" + Sel(l, selector) + ",\"value\":{\"prefix\":\"x\"}}",
        };
        Mgmt.AssertError(await G.Call("PATCH", l.Route, body), 404, "item not found");
        Assert.Equal(file, G.FileText());
    }

    public static TheoryData<string, string> InvalidPatchBodies => Cross(
        "", "{", "nope", "[]", """{"index":0}""", """{"index":0,"value":null}""", """{"index":0,"value":"x"}""", """{"index":0,"value":[1]}""",
        """{"index":0,"value":true}""", """{"index":"0","value":{}}""", """{"index":0.5,"value":{}}""", """{"index":0,"value":{"prefix":5}}""",
        """{"index":0,"value":{"headers":"x"}}""", """{"index":0,"value":{"priority":"1"}}""", """{"index":0,"value":{"models":{}}}""", "SEL5");

    [Theory]
    [MemberData(nameof(InvalidPatchBodies))]
    public async Task Patch_invalid_body_answers_400_invalid_body(string key, string body)
    {
        var l = ProviderListInfo.Of(key);
        if (body == "SEL5") body = "{\"" + l.Selector + "\":5,\"value\":{\"prefix\":\"x\"}}";
        await ArrangeThree(l);
        var file = G.FileText();
        Mgmt.AssertError(await G.Call("PATCH", l.Route, body), 400, "invalid body");
        Assert.Equal(file, G.FileText());
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Patch_can_set_every_schema_field(string key)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        var value = l.FullValue();
        await G.Ok("PATCH", l.Route, new JsonObject { ["index"] = 0, ["value"] = value.DeepClone() }.ToJsonString());
        value[l.Id] = "a";
        await AssertList(l, value.ToJsonString(), l.E("b", extra: """{"prefix":"pb"}"""), l.E("c", extra: """{"prefix":"pc"}"""));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Patch_can_change_the_id(string key)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        await G.Ok("PATCH", l.Route, "{" + Sel(l, "b") + ",\"value\":{\"" + l.Id + "\":\"  b-renamed  \"}}");
        await AssertList(l, l.E("a", extra: """{"prefix":"pa"}"""), l.E("b-renamed", extra: """{"prefix":"pb"}"""), l.E("c", extra: """{"prefix":"pc"}"""));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Patch_null_fields_are_left_alone_and_empty_values_clear(string key)
    {
        var l = ProviderListInfo.Of(key);
        await Arrange(l, l.E("n", extra: """{"prefix":"keep","headers":{"X-H":"v"},"priority":3}"""));
        await G.Ok("PATCH", l.Route, """{"index":0,"value":{"prefix":null,"headers":null,"priority":4}}""");
        await AssertList(l, l.E("n", extra: """{"prefix":"keep","headers":{"X-H":"v"},"priority":4}"""));
        await G.Ok("PATCH", l.Route, """{"index":0,"value":{"prefix":"","headers":{}}}""");
        await AssertList(l, l.E("n", extra: """{"priority":4}"""));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Patch_normalises_the_patched_fields(string key)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        await G.Ok("PATCH", l.Route, """{"index":1,"value":{"prefix":" /np/ ","base-url":"  https://nb.example  ","headers":{" H ":" v ","E":"  "}}}""");
        await AssertList(l, l.E("a", extra: """{"prefix":"pa"}"""),
            l.E("b", "https://nb.example", """{"prefix":"np","headers":{"H":"v"}}"""), l.E("c", extra: """{"prefix":"pc"}"""));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Patch_that_blanks_the_id_answers_400_and_keeps_the_entry(string key)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        var file = G.FileText();
        Mgmt.AssertError(await G.Call("PATCH", l.Route, "{\"index\":1,\"value\":{\"" + l.Id + "\":\"   \",\"prefix\":\"ignored\"}}"), 400, $"{key}[1]: {l.Id} is required");
        await AssertList(l, l.E("a", extra: """{"prefix":"pa"}"""), l.E("b", extra: """{"prefix":"pb"}"""), l.E("c", extra: """{"prefix":"pc"}"""));
        Assert.Equal(file, G.FileText());
    }

    [Theory]
    [InlineData("codex-api-key")]
    [InlineData("openai-compatibility")]
    [InlineData("vertex-api-key")]
    public async Task Patch_that_blanks_a_required_base_url_answers_400_and_keeps_the_entry(string key)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        var file = G.FileText();
        Mgmt.AssertError(await G.Call("PATCH", l.Route, """{"index":2,"value":{"base-url":"  "}}"""), 400, $"{key}[2]: base-url is required");
        await AssertList(l, l.E("a", extra: """{"prefix":"pa"}"""), l.E("b", extra: """{"prefix":"pb"}"""), l.E("c", extra: """{"prefix":"pc"}"""));
        Assert.Equal(file, G.FileText());
    }

    [Theory]
    [InlineData("gemini-api-key")]
    [InlineData("claude-api-key")]
    public async Task Patch_can_blank_the_optional_base_url(string key)
    {
        var l = ProviderListInfo.Of(key);
        await Arrange(l, l.E("u", "https://u.example"));
        await G.Ok("PATCH", l.Route, """{"index":0,"value":{"base-url":""}}""");
        await AssertList(l, l.E("u"));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Patch_that_creates_a_duplicate_answers_400(string key)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        var file = G.FileText();
        Mgmt.AssertError(await G.Call("PATCH", l.Route, "{\"index\":2,\"value\":{\"" + l.Id + "\":\" a \"}}"), 400, l.Duplicate(2, 0));
        await AssertList(l, l.E("a", extra: """{"prefix":"pa"}"""), l.E("b", extra: """{"prefix":"pb"}"""), l.E("c", extra: """{"prefix":"pc"}"""));
        Assert.Equal(file, G.FileText());
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Patch_prefix_with_an_inner_slash_answers_400(string key)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        Mgmt.AssertError(await G.Call("PATCH", l.Route, """{"index":0,"value":{"prefix":"a/b"}}"""), 400, $"{key}[0]: prefix must not contain '/'");
        await AssertList(l, l.E("a", extra: """{"prefix":"pa"}"""), l.E("b", extra: """{"prefix":"pb"}"""), l.E("c", extra: """{"prefix":"pc"}"""));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Patch_is_bound_mode_case_insensitive_with_trailing_bytes_ignored(string key)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        await G.Ok("PATCH", l.Route, """{"INDEX":0,"Value":{"Prefix":"ci"}} trailing""");
        await AssertList(l, l.E("a", extra: """{"prefix":"ci"}"""), l.E("b", extra: """{"prefix":"pb"}"""), l.E("c", extra: """{"prefix":"pc"}"""));
    }

    // ---------------------------------------------------------------- DELETE

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Delete_by_id_removes_every_exact_match(string key)
    {
        var l = ProviderListInfo.Of(key);
        await Arrange(l, l.E("d", "https://one.example"), l.E("keep", "https://one.example"), l.E("d", "https://two.example"), l.E("dd", "https://one.example"));
        await G.Ok("DELETE", $"{l.Route}?{l.Id}=d");
        await AssertList(l, l.E("keep", "https://one.example"), l.E("dd", "https://one.example"));
        Assert.DoesNotContain("https://two.example", G.FileText());
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Delete_by_id_trims_the_parameter(string key)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        await G.Ok("DELETE", $"{l.Route}?{l.Id}=%20%20b%20");
        await AssertList(l, l.E("a", extra: """{"prefix":"pa"}"""), l.E("c", extra: """{"prefix":"pc"}"""));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Delete_base_url_narrows_the_match(string key)
    {
        var l = ProviderListInfo.Of(key);
        await Arrange(l, l.E("d", "https://one.example"), l.E("d", "https://two.example"), l.E("e", "https://two.example"));
        await G.Ok("DELETE", $"{l.Route}?{l.Id}=d&base-url={Uri.EscapeDataString("https://two.example")}");
        await AssertList(l, l.E("d", "https://one.example"), l.E("e", "https://two.example"));
    }

    public static TheoryData<string, string> UnmatchedDeletes => Cross("zzz", "A", "a&base-url=https%3A%2F%2Fnowhere.example");

    [Theory]
    [MemberData(nameof(UnmatchedDeletes))]
    public async Task Delete_that_matches_nothing_answers_404(string key, string query)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        var file = G.FileText();
        Mgmt.AssertError(await G.Call("DELETE", $"{l.Route}?{l.Id}={query}"), 404, "item not found");
        await AssertList(l, l.E("a", extra: """{"prefix":"pa"}"""), l.E("b", extra: """{"prefix":"pb"}"""), l.E("c", extra: """{"prefix":"pc"}"""));
        Assert.Equal(file, G.FileText());
    }

    public static TheoryData<string, string> LenientIndexes => Cross("1", "1abc", "+1", "%201", "1.5");

    [Theory]
    [MemberData(nameof(LenientIndexes))]
    public async Task Delete_by_index_parses_leniently(string key, string index)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        await G.Ok("DELETE", $"{l.Route}?index={index}");
        await AssertList(l, l.E("a", extra: """{"prefix":"pa"}"""), l.E("c", extra: """{"prefix":"pc"}"""));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public async Task Delete_id_wins_over_index_and_a_blank_id_falls_back_to_index(string key)
    {
        var l = ProviderListInfo.Of(key);
        await ArrangeThree(l);
        await G.Ok("DELETE", $"{l.Route}?{l.Id}=c&index=0");
        await AssertList(l, l.E("a", extra: """{"prefix":"pa"}"""), l.E("b", extra: """{"prefix":"pb"}"""));
        await G.Ok("DELETE", $"{l.Route}?{l.Id}=%20&index=0");
        await AssertList(l, l.E("b", extra: """{"prefix":"pb"}"""));
    }

    public static TheoryData<string, string> MissingSelectors => Cross("", "?index=", "?index=3", "?index=-1", "?index=abc", "?ID=", "?ID=%20%20", "?OTHER=a");

    [Theory]
    [MemberData(nameof(MissingSelectors))]
    public async Task Delete_without_a_usable_selector_answers_400(string key, string query)
    {
        var l = ProviderListInfo.Of(key);
        query = query.Replace("ID", l.Id).Replace("OTHER", l.Id == "name" ? "api-key" : "name");
        await ArrangeThree(l);
        var file = G.FileText();
        Mgmt.AssertError(await G.Call("DELETE", l.Route + query), 400, l.MissingSelector);
        Assert.Equal(file, G.FileText());
    }
}
