using CliProxy.Domain.Config.Resources;
using CliProxy.Grains.Hosting;
using CliProxy.Grains.Storage;
using CliProxy.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.TestingHost;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Grains;

/// <summary>
/// A 2-silo in-process Orleans cluster with the embedded file storage (config.yaml copied from
/// fixtures/config/full.yaml, state files in a temp folder), a fake clock (<see cref="FakeTimeProvider"/>), a switch that
/// makes file writes fail, and the config resource <see cref="FaultyConfigResource"/>.
/// </summary>
public class SiloClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();

    /// <summary>The cluster.</summary>
    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>The clock of every silo.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    /// <summary>When true, storing any file fails.</summary>
    public bool FailWrites { get; set; }

    /// <summary>Runs <paramref name="action"/> with <see cref="FailWrites"/> set, and clears it afterwards.</summary>
    public async Task WhileWritesFail(Func<Task> action)
    {
        FailWrites = true;
        try
        {
            await action();
        }
        finally
        {
            FailWrites = false;
        }
    }

    /// <summary>The credential folder of the auth-file grains.</summary>
    public string AuthDirectory => _dir.File("auths");

    /// <summary>The config file the config grain stores into.</summary>
    public string ConfigPath => _dir.File("config.yaml");

    /// <summary>A file in the data folder of the state other than the config.</summary>
    public string DataFile(string name) => Path.Combine(_dir.File("data"), name);

    /// <summary>The grain factory of silo <paramref name="index"/>.</summary>
    public IGrainFactory Silo(int index) => Cluster.Silos[index].ServiceProvider.GetRequiredService<IGrainFactory>();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await File.WriteAllTextAsync(ConfigPath, TestPaths.Fixture("config/full.yaml"));
        var writer = new AtomicFileWriter((from, to) =>
        {
            if (FailWrites) throw new UnauthorizedAccessException("storage refused the write");
            File.Move(from, to, overwrite: true);
        });
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<TimeProvider>(CliProxy.Grains.Hosting.GrainServiceKeys.Clock, Time);
            silo.Services.AddSingleton(writer);
            silo.Services.AddSingleton(new ConfigResourceCatalog([.. ConfigResources.All, new FaultyConfigResource()]));
            silo.AddEmbeddedStorage(ConfigPath, AuthDirectory, _dir.File("data"));
            silo.AddProxyGrains();
        });
        builder.ConfigureSiloHost((_, h) => { h.Logging.AddConsole(); h.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Error); });
        Cluster = builder.Build();
        try
        {
            await Cluster.DeployAsync();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException("cluster failed to start: " + e.Message + "\n" + Cluster.GetLog(), e);
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        _dir.Dispose();
    }
}
