using System.Diagnostics;
using CliProxy.Tests.Cluster.Harness;
using Xunit.Abstractions;

namespace CliProxy.Tests.Cluster;

/// <summary>
/// The cluster as it is deployed: two silo processes and two gateway processes (Orleans clients) on
/// PostgreSQL, driven over HTTP, with silos killed, added and removed and PostgreSQL restarted
/// underneath. One <see cref="TwoByTwoCluster"/> serves all tests of the class; every test starts
/// from two running silos and two ready gateways and writes names of its own.
/// </summary>
[Collection(PostgresCollection.Name)]
[Cluster]
public sealed partial class MultiProcessClusterTests(TwoByTwoCluster cluster, ITestOutputHelper output) : IClassFixture<TwoByTwoCluster>, IAsyncLifetime
{
    private static readonly TimeSpan Convergence = TimeSpan.FromSeconds(5);

    private ClusterHarness Harness => cluster.Harness;
    private GatewayNode A => cluster.A;
    private GatewayNode B => cluster.B;

    /// <inheritdoc />
    public Task InitializeAsync() => cluster.EnsureHealthyAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// (a) 1,000 writes sent at once, half through each gateway, alternating appended api-keys and
    /// uploaded credentials: every acknowledged write is in the state seen through both gateways; and,
    /// as nothing fails underneath, every write is acknowledged.
    /// </summary>
    [Fact]
    public async Task Thousand_concurrent_writes_through_two_gateways_are_all_kept()
    {
        var load = new WriteLoad(cluster.Gateways, "concurrent");
        var watch = Stopwatch.StartNew();
        await load.RunAsync(count: 1000, concurrency: 1000);
        output.WriteLine($"1,000 concurrent writes took {watch.ElapsedMilliseconds} ms; {load.Summary()}");

        var problems = await load.CheckStateAsync(cluster.Gateways, Convergence);
        if (load.Failed > 0) problems.Add($"{load.Failed} of 1,000 writes failed although nothing failed underneath");
        AssertNone(problems, load);
    }

    /// <summary>
    /// (b) The silo hosting the config grain is killed (SIGKILL) in the middle of 1,000 writes: writes
    /// acknowledged before, during and after are all kept, and both gateways take writes again within 10 s.
    /// </summary>
    [Fact]
    public async Task Killing_the_config_grains_silo_mid_load_loses_no_acknowledged_write_and_recovers_within_10_s()
    {
        var victim = await Harness.FindConfigGrainHostAsync();
        var load = new WriteLoad(cluster.Gateways, "kill");
        var run = load.RunAsync(count: 1000, concurrency: 48);
        await Poll.UntilAsync(() => load.Acknowledged >= 300 || run.IsCompleted, TimeSpan.FromSeconds(60), () => load.Summary(), TimeSpan.FromMilliseconds(5));
        Assert.False(run.IsCompleted, "the load finished before the kill");

        await Harness.KillAsync(victim);
        var killedAt = load.Elapsed;
        output.WriteLine($"killed {victim.Name} (config grain host) at +{killedAt.TotalMilliseconds:F0} ms after {load.Acknowledged} acknowledged writes");

        // Recovery: a write sent after the kill is acknowledged through each gateway. Probes go out every
        // 100 ms without waiting for each other, as clients keep sending: a write that was sent into the
        // dying process can only answer 503 after the response timeout, and must not hide the recovery.
        var probes = await Task.WhenAll(cluster.Gateways.Select((gateway, index) => ProbeConfigWritesAsync(load, gateway, 1_000_000L + 2 * index, killedAt)));
        var recovery = probes.Select(p => p.Where(o => o.Result.IsSuccess).Select(o => o.FinishedAt - killedAt).DefaultIfEmpty(TimeSpan.MaxValue).Min()).ToArray();
        output.WriteLine($"writes acknowledged again after {string.Join(" / ", recovery.Select(r => $"{r.TotalMilliseconds:F0} ms"))} (A / B)");
        await run;
        output.WriteLine(load.Summary());

        var problems = await load.CheckStateAsync(cluster.Gateways, Convergence);
        if (!recovery.All(r => r < TimeSpan.FromSeconds(10)))
            problems.Add($"a gateway took writes again only after {string.Join(" / ", recovery.Select(r => $"{r.TotalSeconds:F1} s"))} (limit 10 s)");
        var unclean = load.Outcomes.Where(o => !o.Result.IsSuccess && o.Result.Status is not (>= 500 and < 600)).ToList();
        if (unclean.Count > 0) problems.Add($"{unclean.Count} failed writes did not answer 5xx, e.g.\n    {string.Join("\n    ", unclean.Take(5))}");
        var late = load.Outcomes.Where(o => !o.Result.IsSuccess && o.StartedAt > killedAt + TimeSpan.FromSeconds(10)).ToList();
        if (late.Count > 0) problems.Add($"{late.Count} writes sent more than 10 s after the kill failed, e.g.\n    {string.Join("\n    ", late.Take(5))}");
        AssertNone(problems, load);
    }

    /// <summary>
    /// (c) PostgreSQL is stopped while writes go on and started again: meanwhile writes fail with 503
    /// (never 500 or a hang), afterwards they succeed, and every acknowledged write is kept; both
    /// gateways end up with the same document.
    /// </summary>
    [Fact]
    public async Task Writes_while_PostgreSQL_restarts_fail_with_503_then_succeed_and_nothing_acknowledged_is_lost()
    {
        Assert.True(Harness.Postgres.CanRestart, "this test needs the fixture's private PostgreSQL (unset CLIPROXY_TEST_PG)");
        var load = new WriteLoad(cluster.Gateways, "pg-restart");
        using var stop = new CancellationTokenSource();
        var run = load.RunUntilAsync(stop.Token, concurrency: 16);
        try
        {
            await Poll.UntilAsync(() => load.Acknowledged >= 100, TimeSpan.FromSeconds(30), () => load.Summary());
            TimeSpan stoppedAt = default, startingAt = default, startedAt = default;
            await Harness.RestartPostgresAsync(whileDown: async () =>
            {
                stoppedAt = load.Elapsed;
                output.WriteLine($"PostgreSQL stopped at +{stoppedAt.TotalMilliseconds:F0} ms after {load.Acknowledged} acknowledged writes");
                // Keep writing "for a moment": until each gateway has refused several writes sent while the database was down.
                await Poll.UntilAsync(() => cluster.Gateways.All(g => load.Outcomes.Count(o => o.Gateway == g.Name && o.StartedAt > stoppedAt && !o.Result.IsSuccess) >= 5),
                    TimeSpan.FromSeconds(30), () => $"writes refused through both gateways while PostgreSQL is down\n{load.Summary()}");
                startingAt = load.Elapsed;
            });
            startedAt = load.Elapsed;
            output.WriteLine($"PostgreSQL started again at +{startedAt.TotalMilliseconds:F0} ms");

            // ...and succeed again after: each gateway acknowledges writes sent after the restart.
            var back = await Poll.UntilAsync(() => cluster.Gateways.All(g => load.Outcomes.Count(o => o.Gateway == g.Name && o.StartedAt > startedAt && o.Result.IsSuccess) >= 10),
                TimeSpan.FromSeconds(30), () => $"writes acknowledged through both gateways after the restart\n{load.Summary()}\n{Harness.Describe()}");
            output.WriteLine($"writes acknowledged again {back.TotalMilliseconds:F0} ms after the restart");
            stop.Cancel();
            await run;
            output.WriteLine(load.Summary());

            var during = load.Outcomes.Where(o => o.StartedAt > stoppedAt && o.FinishedAt < startingAt).ToList();
            output.WriteLine($"{during.Count} writes sent and answered while PostgreSQL was down: {string.Join(", ", during.GroupBy(o => o.Result.Status).Select(g => $"{g.Key} × {g.Count()}"))}");

            var problems = await load.CheckStateAsync(cluster.Gateways, Convergence);
            var unclean = load.Outcomes.Where(o => !o.Result.IsSuccess && o.Result.Status != 503).ToList();
            if (unclean.Count > 0)
            {
                problems.Add($"{unclean.Count} writes failed with something other than 503 ({string.Join(", ", unclean.GroupBy(o => $"{o.Kind} {o.Result.Status}").Select(g => $"{g.Key} × {g.Count()}"))}), e.g.\n    " +
                             string.Join("\n    ", unclean.Take(5)));
            }

            // One document: both gateways serve the same config.yaml.
            try
            {
                await Poll.UntilAsync(async () => await A.ExpectOkAsync("/v0/management/config.yaml") == await B.ExpectOkAsync("/v0/management/config.yaml"),
                    Convergence, () => "both gateways serve the same config.yaml");
            }
            catch (TimeoutException e)
            {
                problems.Add(e.Message);
            }

            AssertNone(problems, load);
        }
        finally
        {
            stop.Cancel();
            await run;
            await Harness.StartPostgresAsync();
        }
    }

    /// <summary>(d) A key added through one gateway is listed by the other within 1 s (both directions, several times).</summary>
    [Fact]
    public async Task A_key_added_through_one_gateway_is_visible_through_the_other_within_1_s()
    {
        var latencies = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            var (writer, reader) = i % 2 == 0 ? (A, B) : (B, A);
            var key = $"sk-propagation-{Guid.NewGuid():N}";
            var written = await writer.AddApiKeyAsync(key);
            Assert.True(written.IsSuccess, $"PATCH /api-keys via {writer.Name}: {written}");
            var watch = Stopwatch.StartNew();
            await Poll.UntilAsync(async () => (await reader.GetApiKeysAsync()).Contains(key), TimeSpan.FromSeconds(10),
                () => $"{key} listed by {reader.Name}\n{Harness.Describe()}", TimeSpan.FromMilliseconds(5));
            latencies.Add(watch.Elapsed);
        }

        output.WriteLine("visible on the other gateway after " + string.Join(", ", latencies.Select(l => $"{l.TotalMilliseconds:F0} ms")));
        Assert.True(latencies.All(l => l < TimeSpan.FromSeconds(1)),
            $"propagation took {string.Join(", ", latencies.Select(l => $"{l.TotalMilliseconds:F0} ms"))} (limit 1 s)");
    }

    /// <summary>
    /// (e) Five wrong keys from one client address through gateway A ban that address on gateway B at
    /// once: its next request there, with the right key, answers 403 "IP banned…". Other addresses are unaffected.
    /// </summary>
    [Fact]
    public async Task A_ban_earned_through_one_gateway_holds_on_the_other_at_once()
    {
        var address = $"198.51.100.{Random.Shared.Next(1, 255)}";
        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var wrong = await A.SendAsync(HttpMethod.Get, "/v0/management/config", key: "wrong-key-" + attempt, forwardedFor: address);
            Assert.True(wrong.Status == 401, $"wrong key #{attempt} from {address} via {A.Name}: expected 401, got {wrong}");
        }

        var onB = await B.SendAsync(HttpMethod.Get, "/v0/management/config", forwardedFor: address);
        Assert.True(onB.Status == 403 && onB.Body.Contains("IP banned due to too many failed attempts"),
            $"right key from banned {address} via {B.Name}: expected 403 IP banned, got {onB}\n{Harness.Describe()}");
        var onA = await A.SendAsync(HttpMethod.Get, "/v0/management/config", forwardedFor: address);
        Assert.True(onA.Status == 403 && onA.Body.Contains("IP banned due to too many failed attempts"), $"via {A.Name}: {onA}");

        var other = await B.SendAsync(HttpMethod.Get, "/v0/management/config", forwardedFor: "198.51.100.0");
        Assert.True(other.Status == 200, $"another address via {B.Name}: {other}");
    }

    /// <summary>
    /// (f) A third silo joins while reads and writes run through both gateways, takes grains, and
    /// leaves again by a graceful stop: not one request fails, and every write is kept.
    /// </summary>
    [Fact]
    public async Task A_third_silo_added_and_gracefully_removed_under_load_fails_no_request()
    {
        var load = new WriteLoad(cluster.Gateways, "scale");
        var readFailures = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var reads = 0;
        using var stop = new CancellationTokenSource();
        var writing = load.RunUntilAsync(stop.Token, concurrency: 8);
        var reading = Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            string[] paths = ["/v0/management/api-keys", "/v0/management/auth-files", "/v0/management/config"];
            for (var n = worker; !stop.IsCancellationRequested; n++)
            {
                var gateway = cluster.Gateways[n % 2];
                var path = paths[n % paths.Length];
                var result = await gateway.GetAsync(path);
                Interlocked.Increment(ref reads);
                if (result.Status != 200) readFailures.Enqueue($"GET {path} via {gateway.Name} at +{load.Elapsed.TotalMilliseconds:F0} ms: {result}");
            }
        })));
        try
        {
            await Poll.UntilAsync(() => load.Acknowledged >= 50, TimeSpan.FromSeconds(30), () => load.Summary());
            var third = await Harness.StartSiloAsync();
            await Harness.WaitForMembershipAsync();
            output.WriteLine($"{third.Name} joined at +{load.Elapsed.TotalMilliseconds:F0} ms");

            // It takes part: new credential grains get placed on it.
            var client = await Harness.GetClusterClientAsync();
            var management = client.GetGrain<IManagementGrain>(0);
            var address = (await management.GetHosts(onlyActive: true)).Keys.Single(s => s.Endpoint.Port == third.SiloPort);
            await Poll.UntilAsync(async () => (await management.GetSimpleGrainStatistics([address])).Any(s => s.GrainType.Contains("AuthFile") && s.ActivationCount > 0),
                TimeSpan.FromSeconds(30), () => $"credential grains active on {third.Name}\n{Harness.Describe()}", TimeSpan.FromMilliseconds(100));
            var beforeStop = load.Outcomes.Count;

            var exitCode = await Harness.StopAsync(third);
            output.WriteLine($"{third.Name} stopped gracefully with exit code {exitCode} at +{load.Elapsed.TotalMilliseconds:F0} ms");
            await Harness.WaitForMembershipAsync();
            var stoppedAt = load.Elapsed;
            // Keep the load on until both gateways have answered writes sent after the silo was gone.
            await Poll.UntilAsync(() => cluster.Gateways.All(g => load.Outcomes.Count(o => o.Gateway == g.Name && o.StartedAt > stoppedAt) >= 20),
                TimeSpan.FromSeconds(30), () => $"writes after the stop\n{load.Summary()}");
            stop.Cancel();
            await Task.WhenAll(writing, reading);
            output.WriteLine($"{load.Outcomes.Count} writes ({load.Outcomes.Count - beforeStop} from the stop on), {reads} reads; {load.Summary()}");

            var problems = await load.CheckStateAsync(cluster.Gateways, Convergence);
            if (exitCode != 0) problems.Add($"{third.Name} exited with {exitCode} after SIGTERM");
            if (load.Failed > 0) problems.Add($"{load.Failed} writes failed while a silo joined and left");
            if (!readFailures.IsEmpty) problems.Add($"{readFailures.Count} reads failed while a silo joined and left, e.g.\n    {string.Join("\n    ", readFailures.Take(5))}");
            AssertNone(problems, load);
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(writing, reading);
        }
    }

    /// <summary>
    /// (h) A gateway whose <c>MANAGEMENT_PASSWORD</c> differs from the cluster document's secret
    /// refuses to start (exits non-zero); with the matching value it starts and accepts that key.
    /// </summary>
    [Fact]
    public async Task A_gateway_with_a_different_MANAGEMENT_PASSWORD_refuses_to_start_and_one_with_the_same_starts()
    {
        var wrong = await Harness.StartGatewayAsync(new GatewayStartOptions { ManagementPassword = "not-the-cluster-secret", WaitUntilReady = false });
        var exitCode = await wrong.WaitForExitAsync(Harness.Options.StartTimeout);
        Assert.True(exitCode != 0, $"{wrong.Name} with a different MANAGEMENT_PASSWORD exited with 0\n{wrong.Describe()}");
        // ...and for that reason, not another one (a lost port race, a crash).
        Assert.True(wrong.Log.Contains("MANAGEMENT_PASSWORD", StringComparison.Ordinal), $"{wrong.Name} exited without naming MANAGEMENT_PASSWORD\n{wrong.Describe()}");

        var right = await Harness.StartGatewayAsync(new GatewayStartOptions { ManagementPassword = cluster.ManagementKey });
        try
        {
            var config = await right.GetAsync("/v0/management/config");
            Assert.True(config.Status == 200, $"{right.Name}: {config}");
            Assert.True(right.IsRunning, right.Describe());
        }
        finally
        {
            await Harness.KillAsync(right);
        }
    }

    /// <summary>Fails with every problem found, the load's answers and every node's log tail.</summary>
    private void AssertNone(List<string> problems, WriteLoad load) =>
        Assert.True(problems.Count == 0, $"{problems.Count} problem(s):\n- {string.Join("\n- ", problems)}\n\n{load.Summary()}\n\n{Harness.Describe()}");
}
