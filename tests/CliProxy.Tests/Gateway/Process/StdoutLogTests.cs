using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Process;

/// <summary>
/// Spec §2.2: the application log goes to stdout while <c>logging-to-file</c> is off and to <c>main.log</c> while
/// it is on — not to both (stdout keeps warnings, errors and the start-up lines).
/// </summary>
[Process]
public sealed class StdoutLogTests
{
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Access_lines_go_to_stdout_or_to_main_log(bool toFile)
    {
        var yaml = Mgmt.FullYaml.Replace("logging-to-file: false", $"logging-to-file: {(toFile ? "true" : "false")}");
        await using var g = await Mgmt.StartProcessAsync(yaml);
        var marker = "/stdout-probe-" + Guid.NewGuid().ToString("N")[..8];

        var missing = await g.Raw("POST", marker);
        Assert.Equal(404, missing.Status);
        var ok = await g.Call("GET", "/debug");
        Assert.Equal(200, ok.Status);

        var mainLog = Path.Combine(g.Directory, "logs", "main.log");
        if (toFile)
        {
            await Mgmt.Eventually(() => Task.FromResult(File.Exists(mainLog) && File.ReadAllText(mainLog).Contains("/v0/management/debug")), TimeSpan.FromSeconds(10), "the access line in main.log");
            Assert.DoesNotContain("GET     \"/v0/management/debug\"", g.Output);
            Assert.Contains(marker, g.Output); // a 404 is a warning: still shown
        }
        else
        {
            await Mgmt.Eventually(() => Task.FromResult(g.Output.Contains("GET     \"/v0/management/debug\"")), TimeSpan.FromSeconds(10), "the access line on stdout");
        }
        Assert.Contains(GatewayProcess.ReadyLine, g.Output);
    }
}
