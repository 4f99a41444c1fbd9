using System.Text.RegularExpressions;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Hosting;
using CliProxy.Tests.Cluster.Harness;
using CliProxy.Tests.Grains;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Gateway.Hosting;

/// <summary>
/// <see cref="ConfigFileWatcher"/> (spec §5.3, hand edits): the node that reloads an edit serves it from its own copy at once.
/// Regression: the watcher dropped the snapshot its reload returned, so the node waited for the grain's push or, without
/// one, for its copy's next version check — a process-level hot-reload test once missed its 1.5 s budget under load.
/// </summary>
[Grain]
public sealed class ConfigFileWatcherTests(SiloClusterFixture fixture) : IClassFixture<SiloClusterFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task The_node_that_reloads_a_hand_edit_serves_it_without_a_push()
    {
        var clock = new FakeTimeProvider();
        var grains = fixture.Silo(0);
        // The node's copy, its service not started: no subscription, no version checks — it knows only what it is offered.
        var configs = new ConfigSnapshotCache(grains, NullLogger<ConfigSnapshotCache>.Instance, clock);
        await configs.RefreshAsync();
        var before = configs.Version;
        var boot = new ConfigBootstrap(fixture.ConfigPath, "127.0.0.1", 0, fixture.AuthDirectory, Path.GetTempPath(), null, null);
        using var watcher = new ConfigFileWatcher(boot, grains, configs, NullLogger<ConfigFileWatcher>.Instance, clock);
        await using (await StartedService.StartAsync(watcher)) // its first pass notes the file as it is
        {
            var text = await File.ReadAllTextAsync(fixture.ConfigPath);
            Assert.Matches("(?m)^request-retry: 3", text);
            await File.WriteAllTextAsync(fixture.ConfigPath, Regex.Replace(text, "(?m)^request-retry: 3", "request-retry: 7"));
            await Poll.UntilAsync(() =>
            {
                clock.Advance(TimeSpan.FromMilliseconds(250));
                return configs.Fresh?.Settings.RequestRetry == 7;
            }, Wait, () => $"the node's copy shows the edit (request-retry {configs.Fresh?.Settings.RequestRetry})");
            Assert.True(configs.Version > before);
        }
    }
}
