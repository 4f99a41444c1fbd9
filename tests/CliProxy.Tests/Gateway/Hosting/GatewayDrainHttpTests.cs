using CliProxy.Gateway.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Hosting;

/// <summary>The drain seen over HTTP (<see cref="GatewayDrain"/>): not ready, still serving, no kept-alive connections.</summary>
[Http]
public sealed class GatewayDrainHttpTests
{
    [Fact]
    public async Task While_draining_readyz_answers_503_and_every_answer_closes_its_connection()
    {
        await using var g = await InProcessGateway.StartAsync(Mgmt.FullYaml);
        using (var before = await g.Client.GetAsync("/healthz"))
        {
            Assert.Equal(200, (int)before.StatusCode);
            Assert.NotEqual(true, before.Headers.ConnectionClose);
        }

        // Embedded mode drains for 0 s: the stop begins and the node stays in that state.
        await g.Services.GetRequiredService<GatewayDrain>().StoppingAsync(CancellationToken.None);

        using var ready = await g.Client.GetAsync("/readyz");
        Assert.Equal(503, (int)ready.StatusCode);
        Assert.Equal("""{"status":"stopping"}""", await ready.Content.ReadAsStringAsync());
        using var served = await g.Client.GetAsync("/v0/management/config");
        Assert.NotEqual(503, (int)served.StatusCode); // still served
        Assert.True(served.Headers.ConnectionClose);
    }
}
