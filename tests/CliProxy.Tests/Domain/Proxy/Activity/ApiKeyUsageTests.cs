using System.Collections.Frozen;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Activity;

namespace CliProxy.Tests.Domain.Proxy.Activity;

/// <summary>The <c>GET /api-key-usage</c> grouping: by provider (lower-cased), keyed <c>base-url|api-key</c>, API keys only.</summary>
[Unit]
public sealed class ApiKeyUsageTests
{
    private static UpstreamCredential Credential(string id, string provider, string key, string baseUrl = "") =>
        new(id, id, provider, UpstreamProtocol.OpenAIChat, new UpstreamSecret.ApiKey(key), baseUrl, FrozenDictionary<string, string>.Empty,
            "", "", 0, "", null, null);

    private static UpstreamCredential AuthFile(string name) =>
        new(name, name, "claude", UpstreamProtocol.ClaudeMessages, new UpstreamSecret.AuthFile(name), "", FrozenDictionary<string, string>.Empty,
            "", "", 0, "", null, null);

    [Theory]
    [InlineData("claude", "", "sk-a", "claude", "|sk-a")]
    [InlineData("OpenRouter", "https://openrouter.ai/api/v1", "sk-b", "openrouter", "https://openrouter.ai/api/v1|sk-b")] // a compatibility entry's name, lower-cased
    [InlineData("gemini", " https://g.example ", " sk-c ", "gemini", "https://g.example|sk-c")] // trimmed, as the reference does
    [InlineData(" ", "", "sk-d", "unknown", "|sk-d")]
    public void An_api_key_is_listed_under_its_provider_by_base_url_and_key(string provider, string baseUrl, string key, string group, string composite)
    {
        var grouped = ApiKeyUsage.Group([Credential("c[0]", provider, key, baseUrl)], new Dictionary<string, CredentialActivity>());

        var entry = Assert.Single(Assert.Single(grouped, g => g.Key == group).Value, e => e.Key == composite).Value;
        Assert.Equal((0L, 0L), (entry.Success, entry.Failed)); // never used: listed with zeros
    }

    [Fact]
    public void Auth_files_and_empty_keys_are_left_out_and_the_same_key_twice_is_summed()
    {
        var activity = new Dictionary<string, CredentialActivity>
        {
            ["k[0]"] = new("k[0]", 2, 1, [new ActivityCount(10, 2, 1)]),
            ["k[1]"] = new("k[1]", 3, 0, [new ActivityCount(10, 1, 0), new ActivityCount(11, 2, 0)]),
            ["claude.json"] = new("claude.json", 9, 9, []),
        };

        var grouped = ApiKeyUsage.Group([Credential("k[0]", "codex", "sk-same"), Credential("k[1]", "codex", "sk-same"), Credential("k[2]", "codex", " "), AuthFile("claude.json")], activity);

        var entry = Assert.Single(Assert.Single(grouped).Value).Value;
        Assert.Equal((5L, 1L), (entry.Success, entry.Failed));
        Assert.Equal([new ActivityCount(10, 3, 1), new ActivityCount(11, 2, 0)], entry.Recent);
    }
}
