using CliProxy.Abstractions.Usage;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Usage;
using CliProxy.Grains.Hosting;
using CliProxy.Grains.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;
using Orleans.TestingHost;

namespace CliProxy.Tests.Grains.Usage;

/// <summary>
/// A 2-silo in-process cluster with the embedded storage on <see cref="DataDirectory"/> (the usage
/// store is <c>usage.db</c> there), so that a second cluster on the same folder is a restart.
/// </summary>
public sealed class UsageCluster : IAsyncDisposable
{
    private UsageCluster(InProcessTestCluster cluster, string directory)
    {
        Cluster = cluster;
        Directory = directory;
    }

    /// <summary>The cluster.</summary>
    public InProcessTestCluster Cluster { get; }

    /// <summary>The folder holding config.yaml, auths/ and data/.</summary>
    public string Directory { get; }

    /// <summary>The data folder.</summary>
    public string DataDirectory => Path.Combine(Directory, "data");

    /// <summary>The grain factory of silo <paramref name="index"/>.</summary>
    public IGrainFactory Silo(int index) => Cluster.Silos[index].ServiceProvider.GetRequiredService<IGrainFactory>();

    /// <summary>The usage grain through silo <paramref name="index"/>.</summary>
    public IUsageGrain Grain(int index = 0) => Silo(index).GetGrain<IUsageGrain>(UsageGrainKeys.Default);

    /// <summary>Starts a cluster on <paramref name="directory"/> (config.yaml written when missing).</summary>
    public static async Task<UsageCluster> StartAsync(string directory, FakeTimeProvider time, Action<UsageStoreOptions>? options = null)
    {
        var config = Path.Combine(directory, "config.yaml");
        if (!File.Exists(config)) await File.WriteAllTextAsync(config, TestPaths.Fixture("config/full.yaml"));
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<TimeProvider>(GrainServiceKeys.Clock, time);
            silo.AddEmbeddedStorage(config, Path.Combine(directory, "auths"), Path.Combine(directory, "data"));
            silo.AddProxyGrains();
            if (options is not null) silo.Services.Configure(options);
        });
        builder.ConfigureSiloHost((_, h) => h.Logging.SetMinimumLevel(LogLevel.Error));
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new UsageCluster(cluster, directory);
    }

    /// <summary>A node's recording path (recorder and flusher) whose grain calls go through silo <paramref name="silo"/>.</summary>
    public (UsageRecorder Recorder, UsageFlusher Flusher) Node(int silo, UsageRecorderOptions? options = null, TimeProvider? time = null)
    {
        var grains = Silo(silo);
        var opts = Options.Create(options ?? new UsageRecorderOptions());
        var clock = time ?? TimeProvider.System;
        var configs = new ConfigSnapshotCache(grains, NullLogger<ConfigSnapshotCache>.Instance, clock);
        var recorder = new UsageRecorder(opts, new UsageSwitch(configs), clock);
        return (recorder, new UsageFlusher(recorder, grains, opts, clock, NullLogger<UsageFlusher>.Instance));
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
