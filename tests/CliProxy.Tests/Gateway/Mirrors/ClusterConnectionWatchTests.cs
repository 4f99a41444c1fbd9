using CliProxy.Gateway.Hosting;
using CliProxy.Gateway.Mirrors;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Gateway.Mirrors;

/// <summary>A lost or recovered cluster connection invalidates every registered mirror, and only then.</summary>
[Unit]
public sealed class ClusterConnectionWatchTests
{
    private static async Task<(ClusterConnectionWatch Watch, TestMirror[] Mirrors)> Watch()
    {
        var time = new FakeTimeProvider();
        TestMirror[] mirrors = [new(time), new(time)];
        foreach (var mirror in mirrors) await mirror.GetAsync();
        var services = new ServiceCollection();
        foreach (var mirror in mirrors) services.AddSingleton<IGrainStateMirror>(mirror);
        return (new ClusterConnectionWatch(services.BuildServiceProvider(), NullLogger<ClusterConnectionWatch>.Instance), mirrors);
    }

    [Fact]
    public async Task A_lost_connection_invalidates_every_mirror()
    {
        var (watch, mirrors) = await Watch();
        watch.NotifyClusterConnectionLost();
        Assert.All(mirrors, m => Assert.Null(m.Fresh));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_recovered_connection_invalidates_every_mirror_and_a_mere_gateway_count_change_does_not(bool recovered)
    {
        var (watch, mirrors) = await Watch();
        watch.NotifyGatewayCountChanged(2, 1, recovered);
        Assert.All(mirrors, m => Assert.Equal(recovered ? null : "s1", m.Fresh));
    }
}
