using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints.AuthFiles;

/// <summary>
/// <c>GET /model-definitions/{channel}</c> (spec §4.3): the exact bodies of
/// tests/fixtures/model-definitions for every channel, case-insensitive and trimmed lookup, errors.
/// </summary>
[Http]
public sealed class ModelDefinitionsTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    public static TheoryData<string> Channels => new() { "claude", "gemini", "vertex", "gemini-cli", "aistudio", "codex", "qwen", "iflow", "kimi", "antigravity" };

    private static byte[] Expected(string channel) => File.ReadAllBytes(Path.Combine(TestPaths.Fixtures, "model-definitions", channel + ".json"));

    private async Task AssertBody(string route, string channel)
    {
        var r = await G.Call("GET", route);
        Assert.True(r.Status == 200, $"GET {route}: {r.Status} {r.Body}");
        var body = await r.Response.Content.ReadAsByteArrayAsync();
        var expected = Expected(channel);
        Assert.True(expected.AsSpan().SequenceEqual(body), $"GET {route}: body differs from fixtures/model-definitions/{channel}.json\n{Encoding.UTF8.GetString(body)[..Math.Min(400, body.Length)]}");
        Assert.Equal("application/json", r.Response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(channel, (string?)JsonNode.Parse(body)!["channel"]);
    }

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task Every_channel_returns_its_exact_catalog(string channel) => await AssertBody("/model-definitions/" + channel, channel);

    [Theory]
    [MemberData(nameof(Channels))]
    public async Task Channel_from_the_query_string(string channel) => await AssertBody("/model-definitions?channel=" + channel, channel);

    [Theory]
    [InlineData("CLAUDE", "claude")]
    [InlineData("Gemini-CLI", "gemini-cli")]
    [InlineData("%20codex%20", "codex")]
    [InlineData("%09AntiGravity%20", "antigravity")]
    public async Task Lookup_ignores_case_and_surrounding_spaces(string raw, string channel)
    {
        await AssertBody("/model-definitions/" + raw, channel);
        await AssertBody("/model-definitions?channel=" + raw, channel);
    }

    [Theory]
    [InlineData("/model-definitions")]
    [InlineData("/model-definitions?channel=")]
    [InlineData("/model-definitions?channel=%20%20")]
    [InlineData("/model-definitions/%20")]
    public async Task Empty_channel_is_400(string route)
    {
        Mgmt.AssertError(await G.Call("GET", route), 400, "channel is required");
    }

    [Theory]
    [InlineData("/model-definitions/openai", "openai")]
    [InlineData("/model-definitions/%20Nope%20", "Nope")]
    [InlineData("/model-definitions?channel=Grok", "Grok")]
    [InlineData("/model-definitions/gemini-api", "gemini-api")]
    public async Task Unknown_channel_is_400_with_the_trimmed_input(string route, string channel)
    {
        var r = await G.Call("GET", route);
        Assert.Equal(400, r.Status);
        Mgmt.AssertJson(new JsonObject { ["channel"] = channel, ["error"] = "unknown channel" }.ToJsonString(), r.Body);
    }
}
