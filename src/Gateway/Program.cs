using CliProxy.Domain.Config;
using CliProxy.Gateway.Hosting;

SocketCompletions.PreferInline(); // first: the runtime reads its switch when the process opens its first socket

// Modes (setting Cluster:Mode): embedded (default: one process, config.yaml and auth-dir on disk),
// client (an Orleans client of a PostgreSQL cluster) or cohost (a silo of that cluster serving HTTP).
var (cli, exitCode) = await GatewayCommandLine.ReadAsync(args, Console.Out, Console.Error);
if (cli is null) return exitCode; // --help, --version or a usage error
// appsettings*.json are read once, not watched: watching them watches the whole content root (the working folder,
// where logs/ and the usage store usually are), and every log line written would wake the watcher (3 % of the CPU
// under proxy load). A --hostBuilder:reloadConfigOnChange=true on the command line still turns it back on.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = ["--hostBuilder:reloadConfigOnChange=false", .. cli.Settings] });
builder.Configuration.AddEnvironmentVariables("CLIPROXY_");
var deprecated = DeprecatedSettings.Apply(builder.Configuration);
var mode = builder.Configuration[ClusterGateway.ModeKey] ?? "embedded";

GatewayHost host;
ConfigBootstrap? boot = null;
switch (mode)
{
    case "embedded":
        try
        {
            boot = await ConfigBootstrap.PrepareAsync(cli.ConfigPath, builder.Configuration);
        }
        catch (ConfigLoadException e)
        {
            await Console.Error.WriteLineAsync($"config file {Path.GetFullPath(cli.ConfigPath ?? "config.yaml")} is invalid: {e.Message}");
            return 1;
        }
        // The silo is added first so that it starts before the services that call grains.
        builder.AddEmbeddedSilo(boot);
        host = boot.ToGatewayHost();
        break;
    case "client" or "cohost":
        host = await builder.AddClusterGatewayAsync(cohost: mode == "cohost");
        break;
    default:
        await Console.Error.WriteLineAsync($"unknown {ClusterGateway.ModeKey} '{mode}' (embedded, client, cohost)");
        return 2;
}

builder.AddGateway(host, cli);
var app = builder.Build();
DeprecatedSettings.Log(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DeprecatedSettings)), deprecated);
// Disarmed when this entry point returns (a test host runs it in-process: WebApplicationFactory<Program>).
using var watchdog = app.ArmShutdownWatchdog();
app.MapGateway(host);
await app.StartAsync();
if (await GatewayStartup.CheckAsync(app, boot is null) is { } problem)
{
    app.Logger.LogCritical("{Problem}", problem);
    await app.StopAsync();
    return 1;
}
StartupBanner.Print(app.Logger, host, boot?.GeneratedKey, boot?.ConfigPath);
await app.WaitForShutdownAsync();
return 0;
