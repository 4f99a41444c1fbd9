using CliProxy.Tests.Gateway.Endpoints;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Process;

/// <summary><c>MANAGEMENT_STATIC_PATH</c> (a process-wide variable) names where <c>management.html</c> lives.</summary>
[Process]
public sealed class ControlPanelPathTests
{
    [Fact]
    public async Task Management_static_path_names_the_folder_of_the_panel()
    {
        using var elsewhere = new TempDirectory();
        ControlPanelTests.WritePanel(elsewhere.Path);
        await using var g = await Mgmt.StartProcessAsync(Mgmt.FullYaml, new() { ["MANAGEMENT_STATIC_PATH"] = elsewhere.Path });
        var r = await g.Raw("GET", "/management.html");
        Assert.Equal(200, r.Status);
        Assert.Equal(ControlPanelTests.Page, r.Body);
    }
}
