using System.Text.Json.Nodes;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>PATCH of one provider list entry: selection by index or id, validation and normalisation.</summary>
public sealed partial class ProviderListsTests
{
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
}
