namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary><c>PUT /config.yaml</c> with <c>If-Match</c>: the current ETag wins, a stale one answers 412.</summary>
public sealed partial class ConfigDocumentTests
{
    [Fact]
    public async Task If_match_with_the_current_etag_succeeds()
    {
        var etag = (await G.Call("GET", "/config.yaml")).Header("ETag");
        Assert.False(string.IsNullOrEmpty(etag));
        AssertPutOk(await PutYaml(WithDebug(true), etag));
        Mgmt.AssertJson("""{"debug":true}""", (await G.Call("GET", "/debug")).Body);
    }

    [Fact]
    public async Task If_match_with_a_stale_etag_answers_412_and_changes_nothing()
    {
        await G.Ok("PUT", "/debug", """{"value":false}""");
        var etag = (await G.Call("GET", "/config.yaml")).Header("ETag")!;
        AssertPutOk(await PutYaml(G.FileText() + "# first writer\n", etag));
        var file = G.FileText();
        var r = await PutYaml(WithDebug(true), etag);
        Mgmt.AssertCodedError(r, 412, "precondition_failed");
        Assert.Equal(file, G.FileText());
        Mgmt.AssertJson("""{"debug":false}""", (await G.Call("GET", "/debug")).Body);
    }

    [Fact]
    public async Task An_api_save_makes_an_earlier_etag_stale()
    {
        await G.Ok("PUT", "/request-retry", """{"value":1}""");
        var etag = (await G.Call("GET", "/config.yaml")).Header("ETag")!;
        await G.Ok("PUT", "/request-retry", """{"value":2}""");
        Assert.NotEqual(etag, (await G.Call("GET", "/config.yaml")).Header("ETag"));
        var file = G.FileText();
        Mgmt.AssertCodedError(await PutYaml(WithDebug(true), etag), 412, "precondition_failed");
        Assert.Equal(file, G.FileText());
        Mgmt.AssertJson("""{"request-retry":2}""", (await G.Call("GET", "/request-retry")).Body);
    }
}
