using CliProxy.Domain.Outbound;
using CliProxy.Gateway.Proxy.Forwarding;
using CliProxy.Tests.Support.Outbound;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>The forwarder's connection pools: one per (upstream origin, proxy URL), through the credential's proxy.</summary>
[Unit]
public sealed class UpstreamInvokersTests : IAsyncLifetime
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddOutboundHttp().BuildServiceProvider();
    private EchoUpstream _upstream = null!;

    public async Task InitializeAsync() => _upstream = await EchoUpstream.StartAsync();

    public async Task DisposeAsync()
    {
        await _upstream.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task An_invoker_is_shared_per_origin_and_proxy_and_goes_through_a_socks5_proxy()
    {
        await using var proxy = new FakeSocks5Proxy();
        using var invokers = new UpstreamInvokers(_services.GetRequiredService<OutboundHttp>());
        var url = new Uri(_upstream.Url + "/echo/a");
        var socks = $"socks5://127.0.0.1:{proxy.Port}";
        var pool = invokers.For(url, socks);
        Assert.Same(pool, invokers.For(new Uri(_upstream.Url + "/echo/b"), socks));
        Assert.NotSame(pool, invokers.For(url, "direct"));
        Assert.Equal(_upstream.Url, pool.Origin);
        using var response = await pool.Invoker.SendAsync(new HttpRequestMessage(HttpMethod.Get, url), CancellationToken.None);
        Assert.True(response.IsSuccessStatusCode);
        Assert.Equal($"127.0.0.1:{_upstream.Port}", Assert.Single(proxy.Tunnels).Target);
    }
}
