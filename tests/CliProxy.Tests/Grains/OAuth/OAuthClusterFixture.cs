using CliProxy.Domain.OAuth;
using CliProxy.Grains.Hosting;
using CliProxy.Grains.OAuth.Flows;
using CliProxy.Tests.Support.Fakes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Orleans.Runtime;
using Orleans.TestingHost;

namespace CliProxy.Tests.Grains.OAuth;

/// <summary>
/// A 2-silo in-process cluster for the login sessions: the embedded file storage (session state,
/// credentials and the reminder table in one temp folder shared by both silos), a
/// <see cref="FakeTimeProvider"/> as the clock of the grains and of the reminder service, the logins
/// pointed at a <see cref="FakeOAuthServer"/>, and a device-code flow (<see cref="FakeDeviceFlow"/>)
/// registered through the flow extension point.
/// </summary>
public class OAuthClusterFixture : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();

    /// <summary>The cluster.</summary>
    public InProcessTestCluster Cluster { get; private set; } = null!;

    /// <summary>The fake providers.</summary>
    public FakeOAuthServer Fake { get; private set; } = null!;

    /// <summary>The clock of the grains and reminders.</summary>
    public FakeTimeProvider Time { get; } = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    /// <summary>The device flow's switchboard.</summary>
    public FakeDeviceFlow.Switchboard Device { get; } = new();

    /// <summary>The login settings of the silos (the defaults' timings: callback wait 5 min, session kept 10 min).</summary>
    public OAuthSettings Settings { get; private set; } = null!;

    /// <summary>The credential folder.</summary>
    public string AuthDirectory => _dir.File("auths");

    /// <summary>The data folder (session state files, reminders.json).</summary>
    public string DataDirectory => _dir.File("data");

    /// <summary>The grain factory of silo <paramref name="index"/>.</summary>
    public IGrainFactory Silo(int index) => Cluster.Silos[index].ServiceProvider.GetRequiredService<IGrainFactory>();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Fake = await FakeOAuthServer.StartAsync();
        var configuration = Fake.Settings().ToDictionary(p => p.Key["CLIPROXY_".Length..].Replace("__", ":"), p => p.Value);
        Settings = OAuthSettings.Read(key => configuration.GetValueOrDefault(key));
        var builder = new InProcessTestClusterBuilder(2);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddKeyedSingleton<TimeProvider>(GrainServiceKeys.Clock, Time);
            silo.Services.AddKeyedSingleton<TimeProvider>("Orleans.Reminders", Time);
            silo.Services.AddSingleton(Settings);
            silo.Services.AddSingleton(Device);
            silo.Services.AddSingleton<IOAuthFlow, FakeDeviceFlow>();
            silo.AddEmbeddedStorage(_dir.File("config.yaml"), AuthDirectory, DataDirectory);
            silo.AddProxyGrains();
            // Random placement: the default (resource-optimized) can put every session on one silo for a
            // while, and the silo-loss test needs one on the silo it kills (CI saw 40 of 40 on the other).
            silo.Services.AddSingleton<PlacementStrategy, RandomPlacement>();
        });
        builder.ConfigureSiloHost((_, h) => h.Logging.SetMinimumLevel(LogLevel.Error));
        Cluster = builder.Build();
        await File.WriteAllTextAsync(_dir.File("config.yaml"), TestPaths.Fixture("config/full.yaml"));
        await Cluster.DeployAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Cluster.DisposeAsync();
        await Fake.DisposeAsync();
        _dir.Dispose();
    }
}
