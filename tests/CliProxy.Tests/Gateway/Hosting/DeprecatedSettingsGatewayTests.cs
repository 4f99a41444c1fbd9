namespace CliProxy.Tests.Gateway.Hosting;

/// <summary>A gateway started with the old <c>Gateway:*</c> names (as deploy scripts written before the rename do).</summary>
[Http]
public sealed class DeprecatedSettingsGatewayTests
{
    [Fact]
    public async Task Old_names_still_work_unless_the_new_ones_are_set_and_each_is_logged()
    {
        await using var feed = new ReleaseFeedStub { Reply = (200, """{"tag_name":"v-new-name"}""") };
        await using var g = await Mgmt.StartGatewayAsync(Mgmt.FullYaml, new Dictionary<string, string>
        {
            ["CLIPROXY_Gateway__TrustedProxies__0"] = "127.0.0.1",
            ["CLIPROXY_Gateway__LatestReleaseUrl"] = "http://127.0.0.1:1/old-name-is-ignored",
            ["CLIPROXY_Outbound__LatestReleaseUrl"] = $"http://127.0.0.1:{feed.Port}/latest",
        });
        // X-Forwarded-For from the loopback peer is believed: the client is remote, and allow-remote is off.
        Mgmt.AssertError(await g.Call("GET", "/debug", from: Mgmt.NextRemote()), 403, "remote management disabled");
        Mgmt.AssertJson("""{"latest-version":"v-new-name"}""", (await g.Call("GET", "/latest-version")).Body);
        Assert.Contains("Setting Gateway:TrustedProxies is deprecated and was read as Http:TrustedProxies: rename it", g.Output);
        Assert.Contains("Setting Gateway:LatestReleaseUrl is deprecated and ignored: Outbound:LatestReleaseUrl is set", g.Output);
    }
}
