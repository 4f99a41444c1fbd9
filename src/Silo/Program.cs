using CliProxy.Grains.Hosting;
using CliProxy.Silo.Transfer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

// Cluster silo host. Commands (settings: the Cluster section, e.g. CLIPROXY_Cluster__ConnectionString):
//   run                                   run a silo (default); applies the schema first unless Cluster:Migrate=false;
//                                         with Cluster:ImportConfig set, imports it on first start (empty database)
//   migrate                               apply the schema and exit
//   import --config <path> [--auth-dir <path>]   load a config.yaml and its credentials into the running cluster
//   export --out <dir>                    write config.yaml and the credentials back out
const string Usage = "usage: CliProxy.Silo.dll [run | migrate | import --config <path> [--auth-dir <path>] | export --out <dir>]  (settings: CLIPROXY_Cluster__ConnectionString, ...)";
var command = args.FirstOrDefault(a => !a.StartsWith('-')) ?? "run";
var builder = Host.CreateApplicationBuilder(args.Where(a => a != command).ToArray());
builder.Configuration.AddEnvironmentVariables("CLIPROXY_");
builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error).AddFilter("Polly", LogLevel.Error);
ClusterSettings settings;
try
{
    settings = ClusterSettings.From(builder.Configuration);
}
catch (InvalidOperationException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(Usage);
    return 2;
}
string? Option(string name) => builder.Configuration[name];

switch (command)
{
    case "migrate":
        settings.Migrate = true;
        await settings.MigrateIfEnabledAsync();
        Console.WriteLine("schema applied");
        return 0;
    case "import" or "export":
        if (Option(command == "import" ? "config" : "out") is null)
        {
            Console.Error.WriteLine($"{command} needs --{(command == "import" ? "config <path>" : "out <dir>")}");
            Console.Error.WriteLine(Usage);
            return 2;
        }
        builder.UseOrleansClient(client => client.AddClusterClient(settings));
        using (var host = builder.Build())
        {
            await host.StartAsync();
            var transfer = new ClusterTransfer(host.Services.GetRequiredService<IGrainFactory>(), host.Services.GetRequiredService<ILogger<ClusterTransfer>>());
            if (command == "import") await transfer.ImportAsync(Option("config")!, Option("auth-dir"));
            else await transfer.ExportAsync(Option("out")!);
            await host.StopAsync();
        }
        return 0;
    case "run":
        await settings.MigrateIfEnabledAsync();
        builder.UseOrleans(silo => silo.AddClusterSilo(settings));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        using (var host = builder.Build())
        {
            ShutdownWatchdog.Arm(host.Services.GetRequiredService<IHostApplicationLifetime>(), TimeSpan.FromSeconds(40));
            await host.StartAsync();
            var logger = host.Services.GetRequiredService<ILogger<ClusterTransfer>>();
            if (builder.Configuration["Cluster:ImportConfig"] is { Length: > 0 } importConfig)
            {
                var transfer = new ClusterTransfer(host.Services.GetRequiredService<IGrainFactory>(), logger);
                if (await transfer.IsEmptyAsync()) await transfer.ImportAsync(importConfig, builder.Configuration["Cluster:ImportAuthDir"]);
            }
            logger.LogInformation("Silo {Address}:{Port} joined cluster {Cluster}", settings.Advertised(), settings.SiloPort, settings.ClusterId);
            await host.WaitForShutdownAsync();
        }
        return 0;
    default:
        Console.Error.WriteLine($"unknown command '{command}'");
        Console.Error.WriteLine(Usage);
        return 2;
}
