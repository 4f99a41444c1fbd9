using CliProxy.Silo;

namespace CliProxy.Tests.Silo;

/// <summary>The silo's commands (<see cref="SiloCommandLine"/>): which command runs with which options and settings, help, usage errors.</summary>
[Unit]
public sealed class SiloCommandLineTests
{
    private sealed class Recorder : ISiloCommands
    {
        public List<string> Calls { get; } = [];

        public Task<int> RunAsync(string[] settings, CancellationToken cancellationToken) => Record($"run [{string.Join(' ', settings)}]");

        public Task<int> MigrateAsync(string[] settings, CancellationToken cancellationToken) => Record($"migrate [{string.Join(' ', settings)}]");

        public Task<int> ImportAsync(string configPath, string? authDirectory, string[] settings, CancellationToken cancellationToken) =>
            Record($"import {configPath} {authDirectory ?? "-"} [{string.Join(' ', settings)}]");

        public Task<int> ExportAsync(string outputDirectory, string[] settings, CancellationToken cancellationToken) =>
            Record($"export {outputDirectory} [{string.Join(' ', settings)}]");

        private Task<int> Record(string call)
        {
            Calls.Add(call);
            return Task.FromResult(7);
        }
    }

    private static async Task<(int Exit, string Calls, string Output, string Error)> Run(params string[] args)
    {
        var recorder = new Recorder();
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = await SiloCommandLine.RunAsync(args, recorder, output, error);
        return (exit, string.Join("; ", recorder.Calls), output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("run []")]
    [InlineData("run [--Cluster:SiloPort=11112]", "--Cluster:SiloPort=11112")]
    [InlineData("run []", "run")]
    [InlineData("run [--Cluster:SiloPort=1 --Cluster:ImportConfig /x/config.yaml]", "run", "--Cluster:SiloPort=1", "--Cluster:ImportConfig", "/x/config.yaml")]
    [InlineData("migrate [--Cluster:ConnectionString=Host=db]", "migrate", "--Cluster:ConnectionString=Host=db")]
    [InlineData("import c.yaml - []", "import", "--config", "c.yaml")]
    [InlineData("import c.yaml - []", "import", "--config=c.yaml")]
    [InlineData("import c.yaml - []", "import", "-config", "c.yaml")]
    [InlineData("import c.yaml auths [--Cluster:ConnectionString=x]", "import", "--config", "c.yaml", "--auth-dir", "auths", "--Cluster:ConnectionString=x")]
    [InlineData("export /tmp/out []", "export", "--out", "/tmp/out")]
    [InlineData("export /tmp/out [--Cluster:ServiceId svc]", "export", "--Cluster:ServiceId", "svc", "--out=/tmp/out")]
    public async Task Each_command_runs_with_its_options_and_settings(string call, params string[] args)
    {
        var (exit, calls, _, error) = await Run(args);
        Assert.Equal("", error);
        Assert.Equal(call, calls);
        Assert.Equal(7, exit); // the command's own exit code
    }

    [Theory]
    [InlineData("unrecognized command or argument 'frob'", "frob")]
    [InlineData("Option '--config' is required.", "import")]
    [InlineData("Option '--out' is required.", "export")]
    [InlineData("Required argument missing for option: '--config'.", "import", "--config")]
    public async Task Usage_errors_end_with_code_2_and_run_nothing(string message, params string[] args)
    {
        var (exit, calls, _, error) = await Run(args);
        Assert.Equal((2, ""), (exit, calls));
        Assert.Contains(message, error);
    }

    [Fact]
    public async Task Help_lists_the_commands()
    {
        var (exit, calls, output, _) = await Run("--help");
        Assert.Equal((0, ""), (exit, calls));
        foreach (var command in new[] { "run", "migrate", "import", "export" }) Assert.Matches($@"(?m)^\s+{command}\s+\S", output);
        Assert.Contains("--Section:Key=value", output);
    }

    [Theory]
    [InlineData("import", "--config <path> (REQUIRED)", "--auth-dir <path>")]
    [InlineData("export", "--out <dir> (REQUIRED)", "--help")]
    [InlineData("run", "Cluster:Migrate=false", "Cluster:ImportConfig")]
    public async Task Help_of_a_command_lists_its_options(string command, string first, string second)
    {
        var (exit, calls, output, _) = await Run(command, "--help");
        Assert.Equal((0, ""), (exit, calls));
        Assert.Contains(first, output);
        Assert.Contains(second, output);
    }
}
