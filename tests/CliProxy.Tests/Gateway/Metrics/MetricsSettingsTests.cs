namespace CliProxy.Tests.Gateway.Metrics;

/// <summary><c>Metrics:Public</c> opens <c>/metrics</c>; <c>Metrics:Enabled=false</c> removes it.</summary>
[Http]
public sealed class MetricsSettingsTests
{
    [Fact]
    public async Task Public_metrics_answer_without_a_key_and_the_management_api_still_needs_one()
    {
        await using var g = await InProcessGateway.StartAsync(Mgmt.FullYaml, new Dictionary<string, string> { ["CLIPROXY_Metrics__Public"] = "true" });
        var r = await MetricsEndpointTests.Scrape(g, key: null);
        Assert.Equal(200, r.Status);
        Assert.Contains("# TYPE ", r.Body);
        Assert.Equal(401, (await g.Call("GET", "/debug", key: null)).Status);
    }

    [Fact]
    public async Task Disabled_metrics_answer_404()
    {
        await using var g = await InProcessGateway.StartAsync(Mgmt.FullYaml, new Dictionary<string, string> { ["CLIPROXY_Metrics__Enabled"] = "false" });
        var r = await MetricsEndpointTests.Scrape(g);
        Assert.Equal(404, r.Status);
        Assert.Equal(200, (await g.Call("GET", "/debug")).Status);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Outbound_http_metrics_are_exported_only_when_listed_in_extra_meters(bool listed)
    {
        await using var feed = new ReleaseFeedStub { Reply = (200, """{"tag_name":"v9.9.9"}""") };
        var settings = new Dictionary<string, string> { ["CLIPROXY_Outbound__LatestReleaseUrl"] = $"http://127.0.0.1:{feed.Port}/latest" };
        if (listed) settings["CLIPROXY_Metrics__ExtraMeters__0"] = "System.Net.Http";
        await using var g = await InProcessGateway.StartAsync(Mgmt.FullYaml, settings);
        Mgmt.AssertJson("""{"latest-version":"v9.9.9"}""", (await g.Call("GET", "/latest-version")).Body); // one outbound request
        Assert.Equal(listed, (await MetricsEndpointTests.Scrape(g)).Body.Contains("\nhttp_client_request_duration_seconds", StringComparison.Ordinal));
    }
}
