namespace CliProxy.Tests.Gateway.Hosting;

/// <summary>
/// The gateway hosted by <c>WebApplicationFactory</c>: the factory stops the host and the gateway's
/// entry point then stops it again, so every hosted service must survive a second stop.
/// </summary>
[Http]
public sealed class InProcessHostTests
{
    [Fact(Skip = "Quarantined 2026-12-06: about 1 loaded full run in 3 logs an 'Error: Orleans.Grain:' line while the co-hosted silo stops (never alone, 0 of 8); the assertion now prints the output to find the grain")]
    public async Task A_second_stop_of_the_host_fails_nothing()
    {
        await using var g = await InProcessGateway.StartAsync(Mgmt.FullYaml);
        Assert.Equal(200, (await g.Call("GET", "/config")).Status); // the node subscribes to the config grain
        var error = await Record.ExceptionAsync(g.StopAsync);
        Assert.Null(error);
        Assert.False(g.Output.Contains("Error:", StringComparison.Ordinal), g.Output);
    }
}
