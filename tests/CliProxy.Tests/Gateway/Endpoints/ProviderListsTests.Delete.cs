namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>DELETE of provider list entries: by id (optionally narrowed by base-url) or by index.</summary>
public sealed partial class ProviderListsTests
{
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
