using CliProxy.Gateway.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Gateway.Hosting;

/// <summary>
/// The gateway's drain on stop (<see cref="GatewayDrain"/>, <c>Http:DrainDelay</c>): from the start
/// of the stop it is not ready and closes each connection after its answer, while it still serves,
/// for the delay; then the stop goes on.
/// </summary>
[Unit]
public sealed class GatewayDrainTests
{
    [Fact]
    public async Task The_stop_waits_for_the_drain_delay_and_the_node_is_draining_from_its_start()
    {
        var time = new FakeTimeProvider();
        var drain = new GatewayDrain(TimeSpan.FromSeconds(2), time, NullLogger<GatewayDrain>.Instance);
        Assert.False(drain.IsDraining);

        var stopping = drain.StoppingAsync(CancellationToken.None);
        Assert.True(drain.IsDraining);
        time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(stopping.IsCompleted);
        time.Advance(TimeSpan.FromMilliseconds(1));
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Fact]
    public async Task The_host_s_shutdown_timeout_ends_the_drain_early()
    {
        var drain = new GatewayDrain(TimeSpan.FromHours(1), new FakeTimeProvider(), NullLogger<GatewayDrain>.Instance);
        using var timeout = new CancellationTokenSource();
        var stopping = drain.StoppingAsync(timeout.Token);
        await timeout.CancelAsync();
        await stopping.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(drain.IsDraining);
    }
}
