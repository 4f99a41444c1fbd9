using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// <c>/api-keys</c> (spec §8 with correction 2: PUT <c>null</c> → 400, <c>{"items":[]}</c> clears).
/// Every test first PUTs the list it works on.
/// </summary>
[Http]
public sealed class ApiKeysTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    private async Task Arrange(params string[] keys) =>
        await G.Ok("PUT", "/api-keys", new JsonArray(keys.Select(k => (JsonNode?)k).ToArray()).ToJsonString());

    private async Task AssertKeys(params string[] keys) =>
        Mgmt.AssertJson(new JsonObject { ["api-keys"] = new JsonArray(keys.Select(k => (JsonNode?)k).ToArray()) }.ToJsonString(),
            (await G.Call("GET", "/api-keys")).Body);

    private async Task AssertEmpty()
    {
        var r = await G.Call("GET", "/api-keys");
        Assert.Equal(200, r.Status);
        var json = r.Json!.AsObject();
        Assert.Single(json);
        Assert.True(Mgmt.IsEmpty(json["api-keys"]), r.Body);
    }

    [Fact]
    public async Task Put_array_stores_the_list_verbatim()
    {
        await Arrange("x");
        await G.Ok("PUT", "/api-keys", """["k1"," k2 ","","k1"]""");
        await AssertKeys("k1", " k2 ", "", "k1");
        Assert.Contains("api-keys:", G.FileText());
        Assert.Contains("k2 ", G.FileText());
    }

    [Fact]
    public async Task Put_items_wrapper_stores_the_list()
    {
        await Arrange("x");
        await G.Ok("PUT", "/api-keys", """{"items":["w1","w2"]}""");
        await AssertKeys("w1", "w2");
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("""{"items":[]}""")]
    public async Task Put_empty_list_clears(string body)
    {
        await Arrange("a", "b");
        await G.Ok("PUT", "/api-keys", body);
        await AssertEmpty();
        Assert.DoesNotMatch(@"(?m)^  - ""?a""?$", G.FileText());
    }

    [Theory]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("[")]
    [InlineData("not json")]
    [InlineData("[1]")]
    [InlineData("""["a",2]""")]
    [InlineData("""["a",null]""")]
    [InlineData("""[["a"]]""")]
    [InlineData("""{}""")]
    [InlineData("""{"keys":["a"]}""")]
    [InlineData("""{"items":"a"}""")]
    [InlineData("""{"items":null}""")]
    [InlineData("""{"items":[1]}""")]
    [InlineData("\"a\"")]
    [InlineData("42")]
    [InlineData("""["a"] ["b"]""")]
    [InlineData("""["a"]x""")]
    public async Task Put_invalid_body_answers_400_and_keeps_the_list(string body)
    {
        await Arrange("keep-1", "keep-2");
        var file = G.FileText();
        Mgmt.AssertError(await G.Call("PUT", "/api-keys", body), 400, "invalid body");
        await AssertKeys("keep-1", "keep-2");
        Assert.Equal(file, G.FileText());
    }

    [Fact]
    public async Task Patch_index_and_value_replaces_that_element_verbatim()
    {
        await Arrange("a", "b", "c");
        await G.Ok("PATCH", "/api-keys", """{"index":1,"value":" B2 "}""");
        await AssertKeys("a", " B2 ", "c");
    }

    [Fact]
    public async Task Patch_index_wins_over_old_and_new()
    {
        await Arrange("a", "b", "c");
        await G.Ok("PATCH", "/api-keys", """{"index":0,"value":"z","old":"c","new":"y"}""");
        await AssertKeys("z", "b", "c");
    }

    [Fact]
    public async Task Patch_old_new_replaces_the_first_exact_match()
    {
        await Arrange("a", "b", "b", " b");
        await G.Ok("PATCH", "/api-keys", """{"old":"b","new":"n"}""");
        await AssertKeys("a", "n", "b", " b");
    }

    [Fact]
    public async Task Patch_old_new_appends_when_old_is_absent()
    {
        await Arrange("a");
        await G.Ok("PATCH", "/api-keys", """{"old":"missing","new":"added"}""");
        await AssertKeys("a", "added");
    }

    [Fact]
    public async Task Patch_out_of_range_index_falls_back_to_old_new()
    {
        await Arrange("a", "b");
        await G.Ok("PATCH", "/api-keys", """{"index":5,"value":"x","old":"b","new":"c"}""");
        await AssertKeys("a", "c");
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{"index":2,"value":"x"}""")]
    [InlineData("""{"index":-1,"value":"x"}""")]
    [InlineData("""{"index":0}""")]
    [InlineData("""{"value":"x"}""")]
    [InlineData("""{"old":"a"}""")]
    [InlineData("""{"new":"a"}""")]
    [InlineData("""{"index":0,"value":null}""")]
    public async Task Patch_without_a_usable_pair_answers_400_missing_fields(string body)
    {
        await Arrange("a", "b");
        Mgmt.AssertError(await G.Call("PATCH", "/api-keys", body), 400, "missing fields");
        await AssertKeys("a", "b");
    }

    [Theory]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("nope")]
    [InlineData("""{"index":"1","value":"x"}""")]
    [InlineData("""{"index":1.5,"value":"x"}""")]
    [InlineData("""{"index":0,"value":5}""")]
    [InlineData("""{"old":1,"new":"x"}""")]
    [InlineData("""{"old":"a","new":true}""")]
    public async Task Patch_bind_failure_answers_400_invalid_body(string body)
    {
        await Arrange("a", "b");
        Mgmt.AssertError(await G.Call("PATCH", "/api-keys", body), 400, "invalid body");
        await AssertKeys("a", "b");
    }

    [Theory]
    [InlineData("1", "a,c,d")]
    [InlineData("1abc", "a,c,d")]
    [InlineData("+1", "a,c,d")]
    [InlineData("%201", "a,c,d")]
    [InlineData("1.5", "a,c,d")]
    [InlineData("0x10", "b,c,d")]
    [InlineData("3", "a,b,c")]
    public async Task Delete_by_index_parses_leniently(string index, string remaining)
    {
        await Arrange("a", "b", "c", "d");
        await G.Ok("DELETE", "/api-keys?index=" + index);
        await AssertKeys(remaining.Split(','));
    }

    [Fact]
    public async Task Delete_by_value_removes_every_element_whose_trimmed_form_matches()
    {
        await Arrange("a", " b ", "b", "c", "bb");
        await G.Ok("DELETE", "/api-keys?value=%20b%20");
        await AssertKeys("a", "c", "bb");
    }

    [Fact]
    public async Task Delete_by_value_that_matches_nothing_still_answers_200()
    {
        await Arrange("a");
        await G.Ok("DELETE", "/api-keys?value=zzz");
        await AssertKeys("a");
    }

    [Fact]
    public async Task Delete_index_wins_over_value_and_out_of_range_index_falls_back_to_value()
    {
        await Arrange("a", "b", "c");
        await G.Ok("DELETE", "/api-keys?index=0&value=c");
        await AssertKeys("b", "c");
        await G.Ok("DELETE", "/api-keys?index=9&value=c");
        await AssertKeys("b");
    }

    [Theory]
    [InlineData("")]
    [InlineData("?index=")]
    [InlineData("?index=abc")]
    [InlineData("?index=-1")]
    [InlineData("?index=7")]
    [InlineData("?value=")]
    [InlineData("?value=%20%20")]
    [InlineData("?key=a")]
    public async Task Delete_without_usable_parameters_answers_400(string query)
    {
        await Arrange("a", "b");
        Mgmt.AssertError(await G.Call("DELETE", "/api-keys" + query), 400, "missing index or value");
        await AssertKeys("a", "b");
    }
}
