using System.Text.RegularExpressions;
using CliProxy.Tests.Support.Outbound;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>A gateway whose release feed (<c>Outbound:LatestReleaseUrl</c>) is a local stub.</summary>
public sealed class ReleaseFeedGateway : IAsyncLifetime
{
    /// <summary>The stub feed.</summary>
    public ReleaseFeedStub Feed { get; } = new();

    /// <summary>The gateway.</summary>
    public TestGateway Gateway { get; private set; } = null!;

    /// <summary>Path the gateway asks for.</summary>
    public const string FeedPath = "/repos/router-for-me/CLIProxyAPI/releases/latest";

    /// <inheritdoc />
    public async Task InitializeAsync() => Gateway = await Mgmt.StartGatewayAsync(Mgmt.FullYaml, new Dictionary<string, string>
    {
        ["CLIPROXY_Outbound__LatestReleaseUrl"] = $"http://127.0.0.1:{Feed.Port}{FeedPath}",
        ["CLIPROXY_Outbound__LatestReleaseCache"] = "00:00:00", // each test asks the feed (the cache: LatestReleaseCacheTests)
        ["HTTP_PROXY"] = "",
        ["HTTPS_PROXY"] = "",
        ["ALL_PROXY"] = "",
    });

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Feed.DisposeAsync();
    }
}

/// <summary><c>GET /latest-version</c> (spec §6.4) against a stub release feed.</summary>
[Http]
public sealed class LatestVersionTests(ReleaseFeedGateway fixture) : IClassFixture<ReleaseFeedGateway>
{
    private TestGateway G => fixture.Gateway;

    private async Task<Reply> Ask((int, string) reply)
    {
        await G.Ok("DELETE", "/proxy-url");
        fixture.Feed.Reply = reply;
        return await G.Call("GET", "/latest-version");
    }

    [Fact]
    public async Task Tag_name_is_returned_trimmed_and_the_feed_is_asked_like_github()
    {
        var file = G.FileText();
        int before;
        lock (fixture.Feed.Requests) before = fixture.Feed.Requests.Count;
        var r = await Ask((200, """{"tag_name":"  v6.2.1  ","name":"Release 6.2.1"}"""));
        Assert.Equal(200, r.Status);
        Mgmt.AssertJson("""{"latest-version":"v6.2.1"}""", r.Body);
        string[] head;
        lock (fixture.Feed.Requests) head = fixture.Feed.Requests.Skip(before).Last();
        Assert.Equal($"GET {ReleaseFeedGateway.FeedPath} HTTP/1.1", head[0]);
        Assert.Contains(head, h => h.Equals("Accept: application/vnd.github+json", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(head, h => Regex.IsMatch(h, @"^User-Agent: CLIProxyAPI$", RegexOptions.IgnoreCase));
        Assert.Equal(file, G.FileText());
    }

    [Fact]
    public async Task Name_is_the_fallback_when_the_tag_is_blank()
    {
        var r = await Ask((200, """{"tag_name":"  ","name":" v7.0.0 "}"""));
        Mgmt.AssertJson("""{"latest-version":"v7.0.0"}""", r.Body);
    }

    [Fact]
    public async Task Non_200_answers_502_unexpected_status_with_the_trimmed_body()
    {
        var r = await Ask((503, "  down for maintenance \n"));
        Mgmt.AssertCodedError(r, 502, "unexpected_status", "status 503: down for maintenance");
    }

    [Fact]
    public async Task Unexpected_status_message_holds_at_most_1024_bytes_of_the_body()
    {
        var r = await Ask((500, new string('x', 3000)));
        Mgmt.AssertCodedError(r, 502, "unexpected_status", "status 500: " + new string('x', 1024));
    }

    [Fact]
    public async Task Undecodable_answer_is_502_decode_failed()
    {
        Mgmt.AssertCodedError(await Ask((200, "<html>not json</html>")), 502, "decode_failed");
    }

    [Fact]
    public async Task Answer_without_version_is_502_invalid_response()
    {
        Mgmt.AssertCodedError(await Ask((200, """{"tag_name":"","name":""}""")), 502, "invalid_response", "missing release version");
        Mgmt.AssertCodedError(await Ask((200, "{}")), 502, "invalid_response", "missing release version");
    }

    [Fact]
    public async Task Transport_failure_is_502_request_failed()
    {
        Mgmt.AssertCodedError(await Ask((0, "")), 502, "request_failed");
    }

    [Fact]
    public async Task Proxy_url_routes_the_request_through_that_http_proxy()
    {
        await using var proxy = new FakeHttpProxy();
        var r = await AskThrough($"http://127.0.0.1:{proxy.Port}");
        Mgmt.AssertJson("""{"latest-version":"v-proxied"}""", r.Body);
        // The proxy gets the absolute URL and forwards the request in origin form.
        Assert.Equal($"GET http://127.0.0.1:{fixture.Feed.Port}{ReleaseFeedGateway.FeedPath} HTTP/1.1", proxy.Last[0]);
        Assert.Equal($"GET {ReleaseFeedGateway.FeedPath} HTTP/1.1", fixture.Feed.Last[0]);
    }

    [Fact]
    public async Task Socks5_proxy_url_tunnels_the_request_through_that_proxy()
    {
        await using var proxy = new FakeSocks5Proxy { RequiredCredentials = ("cpa", "pw") };
        var r = await AskThrough($"  socks5://cpa:pw@127.0.0.1:{proxy.Port}  ");
        Mgmt.AssertJson("""{"latest-version":"v-proxied"}""", r.Body);
        Assert.Equal([($"127.0.0.1:{fixture.Feed.Port}", "cpa")], proxy.Tunnels);
    }

    private async Task<Reply> AskThrough(string proxyUrl)
    {
        try
        {
            await G.Ok("PUT", "/proxy-url", System.Text.Json.JsonSerializer.Serialize(new { value = proxyUrl }));
            fixture.Feed.Reply = (200, """{"tag_name":"v-proxied"}""");
            return await G.Call("GET", "/latest-version");
        }
        finally
        {
            await G.Ok("DELETE", "/proxy-url");
        }
    }
}
