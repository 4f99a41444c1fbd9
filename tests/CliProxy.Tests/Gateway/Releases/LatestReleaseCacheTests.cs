using CliProxy.Domain.Outbound;
using CliProxy.Gateway.Releases;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Gateway.Releases;

/// <summary><see cref="LatestReleaseCache"/> on a fake clock against a stub feed: how long answers and failures are kept.</summary>
[Unit]
public sealed class LatestReleaseCacheTests : IAsyncLifetime
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddOutboundHttp().BuildServiceProvider();
    private readonly ReleaseFeedStub _feed = new() { Reply = (200, """{"tag_name":"v1.0.0"}""") };
    private readonly FakeTimeProvider _time = new();
    private LatestReleaseCache _cache = null!;

    public Task InitializeAsync()
    {
        _cache = new LatestReleaseCache(_services.GetRequiredService<OutboundHttp>(), new ReleaseFeed($"http://127.0.0.1:{_feed.Port}/latest"), _time,
            LatestReleaseCache.DefaultSuccessFor);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _feed.DisposeAsync();
    }

    private int Asked
    {
        get
        {
            lock (_feed.Requests) return _feed.Requests.Count;
        }
    }

    private Task<ReleaseAnswer> Get(string proxy = "") => _cache.GetAsync(proxy, CancellationToken.None);

    [Fact]
    public async Task An_answer_is_kept_five_minutes()
    {
        Assert.Equal("v1.0.0", (await Get()).Version);
        _feed.Reply = (200, """{"tag_name":"v2.0.0"}""");
        _time.Advance(LatestReleaseCache.DefaultSuccessFor - TimeSpan.FromSeconds(1));
        Assert.Equal("v1.0.0", (await Get()).Version);
        Assert.Equal(1, Asked);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("v2.0.0", (await Get()).Version);
        Assert.Equal(2, Asked);
    }

    [Fact]
    public async Task A_failure_is_kept_30_seconds_so_an_outage_answers_at_once()
    {
        _feed.Reply = (0, ""); // connection closed without an answer
        var first = await Get();
        Assert.Equal((502, "request_failed"), (first.Status, first.Error));
        var asked = Asked; // the client may have tried a closed connection more than once
        _feed.Reply = (200, """{"tag_name":"v3.0.0"}""");
        _time.Advance(LatestReleaseCache.MaxFailureFor - TimeSpan.FromSeconds(1));
        var kept = await Get();
        Assert.Same(first, kept);
        Assert.Equal(asked, Asked);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal("v3.0.0", (await Get()).Version);
    }

    [Fact]
    public async Task Concurrent_callers_share_one_request_and_another_proxy_url_asks_again()
    {
        var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Get()));
        Assert.All(answers, a => Assert.Equal("v1.0.0", a.Version));
        Assert.Equal(1, Asked);
        Assert.Equal("v1.0.0", (await Get("direct")).Version);
        Assert.Equal(2, Asked);
    }

    [Fact]
    public async Task An_unresolvable_feed_answers_request_failed_quickly()
    {
        var cache = new LatestReleaseCache(_services.GetRequiredService<OutboundHttp>(), new ReleaseFeed("http://feed.invalid/latest"), _time,
            LatestReleaseCache.DefaultSuccessFor);
        var started = DateTime.UtcNow;
        var answer = await cache.GetAsync("direct", CancellationToken.None);
        Assert.Equal((502, "request_failed"), (answer.Status, answer.Error));
        Assert.True(DateTime.UtcNow - started < LatestReleaseCache.Timeout, "the failure took the whole timeout");
    }
}
