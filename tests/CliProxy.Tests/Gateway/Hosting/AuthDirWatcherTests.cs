using CliProxy.Abstractions.AuthFiles;
using CliProxy.Gateway.Hosting;
using CliProxy.Tests.Cluster.Harness;
using CliProxy.Tests.Grains;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Gateway.Hosting;

/// <summary>
/// Regression (issue 8 item 1): the folder watcher lists auth-dir, then reads each file's size; a
/// file deleted in between threw, the background service failed and the host stopped. A pass
/// that fails is now logged and the next pass catches up.
/// </summary>
[Grain]
public sealed class AuthDirWatcherTests(SiloClusterFixture fixture) : IClassFixture<SiloClusterFixture>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_scan_that_throws_does_not_stop_the_watcher_and_the_next_pass_catches_up()
    {
        Directory.CreateDirectory(fixture.AuthDirectory);
        var clock = new FakeTimeProvider();
        var scanner = new FlakyScanner(new AuthDirScanner(fixture.AuthDirectory));
        using var watcher = new AuthDirWatcher(scanner, fixture.Silo(0), NullLogger<AuthDirWatcher>.Instance, clock);
        await using (await StartedService.StartAsync(watcher))
        {
            await Poll.UntilAsync(() => scanner.Scans >= 1, Wait, () => "the first scan");
            var name = $"watched-{Guid.NewGuid():N}.json";
            await File.WriteAllTextAsync(Path.Combine(fixture.AuthDirectory, name), """{"type":"claude","email":"w@example.com"}""");

            scanner.FailNext = true;
            clock.Advance(AuthDirWatcher.ScanInterval);
            await Poll.UntilAsync(() => scanner.Failures == 1, Wait, () => "the failing scan");

            var index = fixture.Silo(1).GetGrain<IAuthFileIndexGrain>(AuthFileKeys.Index);
            await Poll.UntilAsync(async () =>
            {
                if (watcher.ExecuteTask!.IsCompleted) throw new PollAbortedException("the watcher stopped: " + watcher.ExecuteTask.Exception?.InnerException?.Message);
                clock.Advance(AuthDirWatcher.ScanInterval);
                return await index.Find(name) is not null;
            }, Wait, () => $"{name} listed by a later pass");
            Assert.False(watcher.ExecuteTask!.IsCompleted);
        }
    }

    /// <summary>Scans the real folder; throws once when told to, as a file deleted between list and stat does.</summary>
    private sealed class FlakyScanner(IAuthDirScanner inner) : IAuthDirScanner
    {
        private int _scans;
        private int _failures;

        public volatile bool FailNext;

        public int Scans => Volatile.Read(ref _scans);

        public int Failures => Volatile.Read(ref _failures);

        public Dictionary<string, (long Size, DateTime Written)> Scan()
        {
            Interlocked.Increment(ref _scans);
            if (FailNext)
            {
                FailNext = false;
                Interlocked.Increment(ref _failures);
                throw new FileNotFoundException("Could not find file 'vanished.json'");
            }
            return inner.Scan();
        }
    }
}
