using System.Net;
using CliProxy.Domain.Outbound;
using CliProxy.Tests.Support.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CliProxy.Tests.Domain.Outbound;

/// <summary>
/// <see cref="OutboundHttp"/> against a fake upstream, HTTP proxy and SOCKS5 proxy on 127.0.0.1 in the
/// test process: which way each <c>proxy-url</c> takes, credentials, timeouts, cancellation, client names.
/// </summary>
[Unit]
public sealed class OutboundHttpTests : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private readonly ReleaseFeedStub _upstream = new() { Reply = (200, "hello") };
    private readonly LogCapture _log = new();
    private ServiceProvider _services = null!;

    private OutboundHttp Outbound => _services.GetRequiredService<OutboundHttp>();

    private string UpstreamUrl => $"http://127.0.0.1:{_upstream.Port}/v1/thing?x=1";

    public Task InitializeAsync()
    {
        _services = new ServiceCollection().AddLogging(l => l.AddProvider(_log)).AddOutboundHttp().BuildServiceProvider();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private async Task<string> GetAsync(string? proxyUrl) => await Outbound.For(proxyUrl, Patience).GetStringAsync(UpstreamUrl);

    [Theory]
    [InlineData("")]
    [InlineData("direct")]
    public async Task Without_a_proxy_the_request_goes_straight_to_the_upstream(string proxyUrl)
    {
        Assert.Equal("hello", await GetAsync(proxyUrl));
        Assert.Equal("GET /v1/thing?x=1 HTTP/1.1", _upstream.Last[0]);
    }

    [Fact]
    public async Task An_http_proxy_url_routes_the_request_through_that_proxy()
    {
        await using var proxy = new FakeHttpProxy();
        Assert.Equal("hello", await GetAsync($"http://127.0.0.1:{proxy.Port}"));
        Assert.Equal($"GET {UpstreamUrl} HTTP/1.1", proxy.Last[0]);
        Assert.Equal("GET /v1/thing?x=1 HTTP/1.1", _upstream.Last[0]);
    }

    [Fact]
    public async Task Http_proxy_credentials_answer_the_proxys_challenge()
    {
        await using var proxy = new FakeHttpProxy { RequiredCredentials = "al@ice:pa:ss" };
        Assert.Equal("hello", await GetAsync($"http://al%40ice:pa%3Ass@127.0.0.1:{proxy.Port}"));
        Assert.Contains(proxy.Last, h => h == "Proxy-Authorization: Basic " + Convert.ToBase64String("al@ice:pa:ss"u8.ToArray()));
        Assert.Single(_upstream.Requests);
    }

    [Theory]
    [InlineData("socks5")]
    [InlineData("socks5h")]
    public async Task A_socks5_proxy_url_tunnels_through_that_proxy(string scheme)
    {
        await using var proxy = new FakeSocks5Proxy();
        Assert.Equal("hello", await GetAsync($"{scheme}://127.0.0.1:{proxy.Port}"));
        Assert.Equal([($"127.0.0.1:{_upstream.Port}", "")], proxy.Tunnels);
        Assert.Equal("GET /v1/thing?x=1 HTTP/1.1", _upstream.Last[0]);
    }

    [Fact]
    public async Task Socks5_credentials_are_sent_as_user_name_and_password()
    {
        await using var proxy = new FakeSocks5Proxy { RequiredCredentials = ("bob", "s3cret") };
        Assert.Equal("hello", await GetAsync($"socks5://bob:s3cret@127.0.0.1:{proxy.Port}"));
        Assert.Equal([($"127.0.0.1:{_upstream.Port}", "bob")], proxy.Tunnels);
    }

    [Fact]
    public async Task Wrong_socks5_credentials_fail_the_request()
    {
        await using var proxy = new FakeSocks5Proxy { RequiredCredentials = ("bob", "s3cret") };
        await Assert.ThrowsAsync<HttpRequestException>(() => GetAsync($"socks5://bob:wrong@127.0.0.1:{proxy.Port}"));
        Assert.Empty(proxy.Tunnels);
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task An_invalid_proxy_url_is_logged_without_its_value_and_the_request_goes_out_as_without_one()
    {
        Assert.Equal("hello", await GetAsync("ftp://user:topsecret@127.0.0.1:1"));
        Assert.Equal("GET /v1/thing?x=1 HTTP/1.1", _upstream.Last[0]);
        Assert.Contains("proxy-url ignored: unsupported proxy scheme 'ftp'", _log.Text);
        Assert.DoesNotContain("topsecret", _log.Text);
    }

    [Fact]
    public async Task The_timeout_gives_up_with_a_TimeoutException()
    {
        await using var silent = new SilentServer();
        var client = Outbound.For("", TimeSpan.FromMilliseconds(200));
        var e = await Assert.ThrowsAsync<TaskCanceledException>(() => client.GetAsync($"http://127.0.0.1:{silent.Port}/"));
        Assert.IsType<TimeoutException>(e.InnerException);
    }

    [Fact]
    public async Task The_callers_token_cancels_at_once()
    {
        await using var silent = new SilentServer();
        using var cancel = new CancellationTokenSource();
        var request = Outbound.For("", Timeout.InfiniteTimeSpan).GetAsync($"http://127.0.0.1:{silent.Port}/", cancel.Token);
        await silent.Received.WaitAsync(Patience);
        await cancel.CancelAsync();
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request.WaitAsync(Patience));
        Assert.IsNotType<TimeoutException>(e.InnerException);
    }

    [Fact]
    public void One_client_name_per_proxy_and_no_password_in_it()
    {
        var clients = _services.GetRequiredService<OutboundClients>();
        string Name(string value) => clients.NameOf(ProxySetting.Parse(value));
        Assert.Equal(Name("http://u:pw-one@proxy.example:3128"), Name("  http://u:pw-one@proxy.example:3128/ "));
        Assert.NotEqual(Name("http://u:pw-one@proxy.example:3128"), Name("http://u:pw-two@proxy.example:3128"));
        Assert.DoesNotContain("pw-one", Name("http://u:pw-one@proxy.example:3128"));
        Assert.Equal("outbound http://proxy.example:3128", Name("http://proxy.example:3128"));
        Assert.Equal(Name(""), Name("   "));
        Assert.NotEqual(Name(""), Name("direct"));
    }

    [Fact]
    public void Handlers_use_the_environment_no_proxy_or_the_given_one()
    {
        var options = new OutboundHttpOptions { ConnectTimeout = TimeSpan.FromSeconds(7) };
        using var inherit = OutboundClients.CreateHandler(ProxySetting.Parse(""), options);
        Assert.True(inherit.UseProxy);
        Assert.Null(inherit.Proxy);
        Assert.Equal(TimeSpan.FromSeconds(7), inherit.ConnectTimeout);
        using var direct = OutboundClients.CreateHandler(ProxySetting.Parse("none"), options);
        Assert.False(direct.UseProxy);
        using var proxied = OutboundClients.CreateHandler(ProxySetting.Parse("socks5://u:p@127.0.0.1:1080"), options);
        var proxy = Assert.IsType<WebProxy>(proxied.Proxy);
        Assert.Equal(new Uri("socks5://127.0.0.1:1080"), proxy.Address);
        Assert.Equal("u", Assert.IsType<NetworkCredential>(proxy.Credentials).UserName);
    }
}
