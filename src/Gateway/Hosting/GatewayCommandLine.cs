using System.CommandLine;
using CliProxy.Grains.Hosting;

namespace CliProxy.Gateway.Hosting;

/// <summary>
/// The gateway's command line (rules shared with the silo: <see cref="HostCommandLine"/>):
/// <c>--config &lt;path&gt;</c> (default <c>./config.yaml</c>), the hidden <c>--password &lt;value&gt;</c> (a
/// local management password, loopback clients only, as the reference's hidden flag), <c>--help</c>,
/// <c>--version</c>; every other argument is a setting of .NET configuration (e.g.
/// <c>--Http:TrustedProxies:0=10.0.0.5</c>).
/// </summary>
/// <param name="ConfigPath">The <c>--config</c> value, or null when not given.</param>
/// <param name="LocalPassword">The <c>--password</c> value (<c>""</c> when not given).</param>
/// <param name="Settings">The other arguments, in order, for .NET configuration.</param>
public sealed record GatewayCommandLine(string? ConfigPath, string LocalPassword, string[] Settings)
{
    private const string Config = "--config";
    private const string Password = "--password";

    /// <summary>The command's definition, as <c>--help</c> shows it.</summary>
    public static RootCommand Command() => new(
        "CLIProxy gateway: the proxy (/v1, /v1beta) and the management API (/v0/management). Embedded mode (default): one process serving config.yaml with its own silo; " +
        "cluster gateway: --Cluster:Mode=client or cohost with --Cluster:ConnectionString=... " + HostCommandLine.SettingsHelp)
    {
        new Option<string>(Config)
        {
            Description = "The config.yaml to serve in the embedded mode (default ./config.yaml, created from a template when missing)",
            HelpName = "path",
        },
        new Option<string>(Password)
        {
            Description = "A local management password, accepted from loopback clients only; also enables GET /keep-alive",
            Hidden = true,
        },
    };

    /// <summary>
    /// Reads <paramref name="args"/>. Returns the command line to run with, or no command line and the exit
    /// code of a process that ends now: after printing help or the version to <paramref name="output"/> (0),
    /// or a usage error to <paramref name="error"/> (<see cref="HostCommandLine.UsageError"/>).
    /// </summary>
    public static async Task<(GatewayCommandLine? CommandLine, int ExitCode)> ReadAsync(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        var result = HostCommandLine.Parse(Command(), args);
        if (HostCommandLine.Refuse(result, error) is { } refused) return (null, refused);
        if (result.Action is not null) return (null, await HostCommandLine.InvokeAsync(result, output, error));
        return (new GatewayCommandLine(result.GetValue<string>(Config), result.GetValue<string>(Password) ?? "", HostCommandLine.Settings(result)), 0);
    }
}
