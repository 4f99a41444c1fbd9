using System.CommandLine;
using CliProxy.Grains.Hosting;

namespace CliProxy.Silo;

/// <summary>
/// The silo host's command line (rules shared with the gateway: <see cref="HostCommandLine"/>):
/// <c>run</c> (the default), <c>migrate</c>, <c>import --config &lt;path&gt; [--auth-dir &lt;path&gt;]</c>,
/// <c>export --out &lt;dir&gt;</c>, each with <c>--help</c>; every other argument is a setting of .NET
/// configuration (the <c>Cluster</c> section, e.g. <c>--Cluster:ConnectionString=…</c>).
/// </summary>
public static class SiloCommandLine
{
    /// <summary>The commands, each bound to what <paramref name="commands"/> does for it.</summary>
    public static RootCommand Command(ISiloCommands commands)
    {
        var run = new Command("run",
            "Runs a silo (the default command). Applies the schema first unless Cluster:Migrate=false; with Cluster:ImportConfig set, " +
            "imports that config (and its auth-dir) when the database is still empty.");
        var migrate = new Command("migrate", "Applies the database schema (idempotent, under an advisory lock) and exits.");
        var config = new Option<string>("--config") { Description = "The CLIProxyAPI config.yaml to import", HelpName = "path", Required = true };
        var authDir = new Option<string>("--auth-dir") { Description = "Its credential folder (default: the config's auth-dir)", HelpName = "path" };
        var import = new Command("import", "Loads a config.yaml and its credential folder into the running cluster.") { config, authDir };
        var output = new Option<string>("--out") { Description = "The folder to write config.yaml and the credentials into", HelpName = "dir", Required = true };
        var export = new Command("export", "Writes config.yaml and the credentials of the running cluster out, in the same layout.") { output };
        var root = new RootCommand("CLIProxy cluster silo host. " + HostCommandLine.SettingsHelp) { run, migrate, import, export };

        root.SetAction((result, cancel) => commands.RunAsync(HostCommandLine.Settings(result), cancel));
        run.SetAction((result, cancel) => commands.RunAsync(HostCommandLine.Settings(result), cancel));
        migrate.SetAction((result, cancel) => commands.MigrateAsync(HostCommandLine.Settings(result), cancel));
        import.SetAction((result, cancel) => commands.ImportAsync(result.GetRequiredValue(config), result.GetValue(authDir), HostCommandLine.Settings(result), cancel));
        export.SetAction((result, cancel) => commands.ExportAsync(result.GetRequiredValue(output), HostCommandLine.Settings(result), cancel));
        return root;
    }

    /// <summary>Parses <paramref name="args"/> and runs the command; returns the process's exit code (usage errors: <see cref="HostCommandLine.UsageError"/>).</summary>
    public static async Task<int> RunAsync(IReadOnlyList<string> args, ISiloCommands commands, TextWriter output, TextWriter error)
    {
        var result = HostCommandLine.Parse(Command(commands), args);
        return HostCommandLine.Refuse(result, error) ?? await HostCommandLine.InvokeAsync(result, output, error);
    }
}

/// <summary>What each silo command does; the <c>settings</c> of each method are the arguments for .NET configuration.</summary>
public interface ISiloCommands
{
    /// <summary><c>run</c>: runs a silo until it is stopped.</summary>
    Task<int> RunAsync(string[] settings, CancellationToken cancellationToken);

    /// <summary><c>migrate</c>: applies the schema.</summary>
    Task<int> MigrateAsync(string[] settings, CancellationToken cancellationToken);

    /// <summary><c>import</c>: loads <paramref name="configPath"/> and <paramref name="authDirectory"/> (null: the config's auth-dir) into the cluster.</summary>
    Task<int> ImportAsync(string configPath, string? authDirectory, string[] settings, CancellationToken cancellationToken);

    /// <summary><c>export</c>: writes the cluster's config and credentials into <paramref name="outputDirectory"/>.</summary>
    Task<int> ExportAsync(string outputDirectory, string[] settings, CancellationToken cancellationToken);
}
