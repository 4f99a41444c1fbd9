using CliProxy.Grains.Hosting;
using CliProxy.Silo.Transfer;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CliProxy.Silo;

/// <summary>
/// The silo host's commands (<see cref="SiloCommandLine"/>), each on a host built from its settings plus
/// environment variables prefixed <c>CLIPROXY_</c> (the <c>Cluster</c> section: <see cref="ClusterSettings"/>).
/// A missing <c>Cluster:ConnectionString</c> is a usage error.
/// </summary>
public sealed class SiloCommands(TextWriter error) : ISiloCommands
{
    /// <inheritdoc />
    public async Task<int> RunAsync(string[] settings, CancellationToken cancellationToken)
    {
        if (Prepare(settings) is not var (builder, cluster)) return HostCommandLine.UsageError;
        await cluster.MigrateIfEnabledAsync();
        builder.UseOrleans(silo => silo.AddClusterSilo(cluster));
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        var metrics = builder.AddSiloMetrics();
        using var host = builder.Build();
        ShutdownWatchdog.Arm(host.Services.GetRequiredService<IHostApplicationLifetime>(), TimeSpan.FromSeconds(40));
        await host.StartAsync(cancellationToken);
        var logger = host.Services.GetRequiredService<ILogger<ClusterTransfer>>();
        if (builder.Configuration["Cluster:ImportConfig"] is { Length: > 0 } importConfig)
        {
            var transfer = new ClusterTransfer(host.Services.GetRequiredService<IGrainFactory>(), logger);
            if (await transfer.IsEmptyAsync()) await transfer.ImportAsync(importConfig, builder.Configuration["Cluster:ImportAuthDir"], cancellationToken);
        }
        logger.LogInformation("Silo {Address}:{Port} joined cluster {Cluster}", cluster.Advertised(), cluster.SiloPort, cluster.ClusterId);
        if (metrics) logger.LogInformation("Metrics at http://{Host}:{Port}/metrics", builder.Configuration[SiloMetrics.HostKey] ?? "*", builder.Configuration[SiloMetrics.PortKey]);
        await host.WaitForShutdownAsync();
        return 0;
    }

    /// <inheritdoc />
    public async Task<int> MigrateAsync(string[] settings, CancellationToken cancellationToken)
    {
        if (Prepare(settings) is not var (_, cluster)) return HostCommandLine.UsageError;
        cluster.Migrate = true;
        await cluster.MigrateIfEnabledAsync();
        Console.WriteLine("schema applied");
        return 0;
    }

    /// <inheritdoc />
    public Task<int> ImportAsync(string configPath, string? authDirectory, string[] settings, CancellationToken cancellationToken) =>
        AsClientAsync(settings, transfer => transfer.ImportAsync(configPath, authDirectory, cancellationToken), cancellationToken);

    /// <inheritdoc />
    public Task<int> ExportAsync(string outputDirectory, string[] settings, CancellationToken cancellationToken) =>
        AsClientAsync(settings, transfer => transfer.ExportAsync(outputDirectory, cancellationToken), cancellationToken);

    private async Task<int> AsClientAsync(string[] settings, Func<ClusterTransfer, Task> work, CancellationToken cancellationToken)
    {
        if (Prepare(settings) is not var (builder, cluster)) return HostCommandLine.UsageError;
        builder.UseOrleansClient(client => client.AddClusterClient(cluster));
        using var host = builder.Build();
        await host.StartAsync(cancellationToken);
        await work(new ClusterTransfer(host.Services.GetRequiredService<IGrainFactory>(), host.Services.GetRequiredService<ILogger<ClusterTransfer>>()));
        await host.StopAsync(cancellationToken);
        return 0;
    }

    /// <summary>The host builder and cluster settings of a command, or null after writing why the settings are unusable.</summary>
    private (HostApplicationBuilder Builder, ClusterSettings Cluster)? Prepare(string[] settings)
    {
        var builder = Host.CreateApplicationBuilder(settings);
        builder.Configuration.AddEnvironmentVariables("CLIPROXY_");
        builder.Logging.AddFilter("Orleans", LogLevel.Warning).AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error).AddFilter("Polly", LogLevel.Error);
        try
        {
            return (builder, ClusterSettings.From(builder.Configuration));
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine(e.Message);
            error.WriteLine("Run with --help for usage.");
            return null;
        }
    }
}
