using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary><c>GET /management.html</c> (spec §4.1, correction 9): served from &lt;config folder&gt;/static, never downloaded, no key needed.</summary>
[Http]
public sealed class ControlPanelTests
{
    internal const string Page = "<!doctype html><html><body>panel for tests</body></html>";

    internal static void WritePanel(string folder)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "management.html"), Page);
    }

    [Fact]
    public async Task Panel_is_served_only_while_the_file_exists_and_the_panel_is_enabled()
    {
        await using var g = await Mgmt.StartGatewayAsync(Mgmt.FullYaml);
        var panel = Path.Combine(g.Directory, "static", "management.html");
        Assert.Equal(404, (await g.Raw("GET", "/management.html")).Status);
        Assert.False(File.Exists(panel), "nothing may be downloaded");
        WritePanel(Path.GetDirectoryName(panel)!);
        var r = await g.Raw("GET", "/management.html");
        Assert.Equal(200, r.Status);
        Assert.Equal(Page, r.Body);
        Assert.StartsWith("text/html", Mgmt.ContentType(r) ?? "");
        Assert.Null(r.Header("X-CPA-VERSION"));

        // disable-control-panel: true hides it even though the file exists.
        g.WriteFile(Mgmt.ReplaceOnce(g.FileText(), "disable-control-panel: false", "disable-control-panel: true"));
        Reply? hidden = null;
        await Mgmt.Eventually(async () => (hidden = await g.Raw("GET", "/management.html")).Status == 404, TimeSpan.FromSeconds(10), "panel hidden");
        Assert.Equal("", hidden!.Body);
        g.WriteFile(Mgmt.ReplaceOnce(g.FileText(), "disable-control-panel: true", "disable-control-panel: false"));
        await Mgmt.Eventually(async () => (await g.Raw("GET", "/management.html")).Status == 200, TimeSpan.FromSeconds(10), "panel served again");

        File.Delete(panel);
        Assert.Equal(404, (await g.Raw("GET", "/management.html")).Status);
    }
}
