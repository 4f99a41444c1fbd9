namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary><c>GET /config.yaml</c> when the file is gone (spec §6.2).</summary>
[Http]
public sealed class ConfigFileMissingTests
{
    [Fact]
    public async Task Get_config_yaml_answers_404_not_found_when_the_file_is_missing()
    {
        await using var g = await Mgmt.StartGatewayAsync(Mgmt.FullYaml);
        File.Delete(g.ConfigPath);
        Reply? last = null;
        await Mgmt.Eventually(async () => (last = await g.Call("GET", "/config.yaml")).Status == 404, TimeSpan.FromSeconds(10), "GET /config.yaml answers 404");
        Mgmt.AssertCodedError(last!, 404, "not_found", "config file not found");
        // The running configuration is still served.
        Assert.Equal(200, (await g.Call("GET", "/debug")).Status);
    }
}
