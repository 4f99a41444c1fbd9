using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

[Http]
public sealed class SmokeTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    [Fact]
    public async Task Config_is_served_from_the_fixture_and_the_secret_is_hashed_on_start()
    {
        var (status, body, _) = await G.SendAsync(HttpMethod.Get, "/v0/management/config", Mgmt.Key);
        Assert.Equal(200, status);
        var json = JsonNode.Parse(body)!.AsObject();
        Assert.Equal(3, json["api-keys"]!.AsArray().Count);
        Assert.False(json.ContainsKey("remote-management"));
        var text = await File.ReadAllTextAsync(G.ConfigPath);
        Assert.DoesNotContain("mgmt-key-for-tests", text);
        Assert.Matches(@"secret-key: ""\$2a\$10\$", text);
    }
}
