using System.Text.RegularExpressions;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// <c>PUT /config.yaml</c> (spec §6.3 with correction 6: ETag / If-Match, empty documents refused)
/// and the 4 MiB body limit of the config routes. Every document PUT here keeps the fixture's
/// management key and port.
/// The tests are split by concern: accepted documents (here), <c>ConfigDocumentTests.ETag.cs</c>,
/// <c>.Validation.cs</c> and <c>.BodyLimits.cs</c>; they share this class's one gateway and the helpers below.
/// </summary>
[Http]
public sealed partial class ConfigDocumentTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    /// <summary>The current file with <paramref name="old"/> replaced (once).</summary>
    private string Current(string old, string replacement) => Mgmt.ReplaceOnce(G.FileText(), old, replacement);

    private static readonly Regex DebugLine = new(@"(?m)^debug: .*$");

    /// <summary>The current file with the debug line set to <paramref name="value"/>.</summary>
    private string WithDebug(bool value) => DebugLine.Replace(G.FileText(), "debug: " + (value ? "true" : "false"));

    private async Task<Reply> PutYaml(string body, string? ifMatch = null) =>
        ifMatch is null ? await G.Call("PUT", "/config.yaml", body) : await G.Call("PUT", "/config.yaml", body, from: null, headers: [("If-Match", ifMatch)]);

    private static void AssertPutOk(Reply r)
    {
        Assert.True(r.Status == 200, r.ToString());
        Mgmt.AssertJson("""{"changed":["config"],"ok":true}""", r.Body);
        Assert.Equal("application/json; charset=utf-8", Mgmt.ContentType(r));
        Assert.False(string.IsNullOrEmpty(r.Header("ETag")), "PUT /config.yaml must answer the new ETag");
    }

    [Fact]
    public async Task Put_replaces_the_file_verbatim_and_the_new_values_apply_at_once()
    {
        await G.Ok("PUT", "/debug", """{"value":false}""");
        var before = (await G.Call("GET", "/config.yaml")).Header("ETag");
        var body = WithDebug(true) + "# appended by Put_replaces_the_file_verbatim\n";
        var r = await PutYaml(body);
        AssertPutOk(r);
        Assert.NotEqual(before, r.Header("ETag"));
        Assert.Equal(body, G.FileText());
        var get = await G.Call("GET", "/config.yaml");
        Assert.Equal(body, get.Body);
        Assert.Equal(r.Header("ETag"), get.Header("ETag"));
        Mgmt.AssertJson("""{"debug":true}""", (await G.Call("GET", "/debug")).Body);
        Assert.Equal(true, (bool?)(await G.GetJson("/config"))["debug"]);
    }

    [Fact]
    public async Task Put_stores_the_body_as_sent_while_reads_are_normalised()
    {
        var body = Current("  - api-key: \"AIzaSyFAKE-gemini-key-0002\"", "  - api-key: \"  AIzaSyFAKE-gemini-key-0002  \"\n    prefix: \"/slashed/\"");
        AssertPutOk(await PutYaml(body));
        Assert.Equal(body, G.FileText());
        var gemini = (await G.GetJson("/gemini-api-key"))["gemini-api-key"]!.AsArray();
        Mgmt.AssertEntry("""{"api-key":"AIzaSyFAKE-gemini-key-0002","prefix":"slashed"}""", gemini[^1]);
    }

    [Fact]
    public async Task Put_keeps_unknown_keys_and_later_api_saves_keep_them_too()
    {
        var body = G.FileText() + "x-put-extension:\n  owner: \"tests\"\n  level: 3\n";
        AssertPutOk(await PutYaml(body));
        await G.Ok("PUT", "/max-retry-interval", """{"value":17}""");
        var file = G.FileText();
        Assert.Contains("x-put-extension:", file);
        Assert.Contains("owner: \"tests\"", file);
        Assert.Contains("x-team-notes:", file);
    }
}
