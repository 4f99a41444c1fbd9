using System.Collections.Concurrent;
using CliProxy.Tests.Cluster.Harness;

namespace CliProxy.Tests.Cluster;

/// <summary>
/// Failover with the product's default settings: a crashed silo costs at most a few seconds of
/// write unavailability, and graceful stops (a rolling restart of every node) fail no request.
/// </summary>
public sealed partial class MultiProcessClusterTests
{
    /// <summary>Longest write unavailability a crash may cost with the default settings (issue 8).</summary>
    private static readonly TimeSpan CrashBudget = TimeSpan.FromSeconds(5);

    /// <summary>
    /// (i) The silo hosting the config grain is killed (SIGKILL) while writes go on. Through each
    /// gateway a config write (<c>PATCH /api-keys</c>) is sent every 100 ms from the kill on: one sent
    /// after the kill is acknowledged within 5 s, no write sent later than 5 s after the kill fails,
    /// failures answer 5xx, nothing acknowledged is lost, and the membership table holds the surviving
    /// silo's death vote against the killed one. (Writes that were already on their way
    /// into the killed process can only fail: they answer 503 within the response timeout.)
    /// </summary>
    [Fact]
    public async Task A_crash_of_the_config_grains_silo_costs_at_most_5_s_of_write_unavailability()
    {
        var victim = await Harness.FindConfigGrainHostAsync();
        var load = new WriteLoad(cluster.Gateways, "crash");
        using var stop = new CancellationTokenSource();
        var run = load.RunUntilAsync(stop.Token, concurrency: 8);
        try
        {
            await Poll.UntilAsync(() => load.Acknowledged >= 50, TimeSpan.FromSeconds(30), () => load.Summary());
            await Harness.KillAsync(victim);
            var killedAt = load.Elapsed;
            output.WriteLine($"killed {victim.Name} (config grain host) at +{killedAt.TotalMilliseconds:F0} ms after {load.Acknowledged} acknowledged writes");

            var probes = await Task.WhenAll(cluster.Gateways.Select((gateway, index) => ProbeConfigWritesAsync(load, gateway, 2_000_000L + 2 * index, killedAt)));
            var unavailable = probes.Select(p => p.Where(o => o.Result.IsSuccess).Select(o => o.FinishedAt - killedAt).DefaultIfEmpty(TimeSpan.MaxValue).Min()).ToList();
            output.WriteLine($"config writes sent after the kill acknowledged again after {string.Join(" / ", unavailable.Select(u => $"{u.TotalMilliseconds:F0} ms"))} (A / B)");
            stop.Cancel();
            await run;
            var slowest = load.Outcomes.MaxBy(o => o.Result.Elapsed)!;
            output.WriteLine($"{load.Summary()}\nslowest answer: {slowest.Result.Elapsed.TotalMilliseconds:F0} ms ({slowest})");

            var problems = await load.CheckStateAsync(cluster.Gateways, Convergence);
            if (unavailable.Any(u => u > CrashBudget))
                problems.Add($"config writes were unavailable for {string.Join(" / ", unavailable.Select(u => $"{u.TotalSeconds:F1} s"))} (limit {CrashBudget.TotalSeconds:F0} s)");
            var late = load.Outcomes.Where(o => !o.Result.IsSuccess && o.StartedAt > killedAt + CrashBudget).ToList();
            if (late.Count > 0) problems.Add($"{late.Count} writes sent more than {CrashBudget.TotalSeconds:F0} s after the kill failed, e.g.\n    {string.Join("\n    ", late.Take(5))}");
            var unclean = load.Outcomes.Where(o => !o.Result.IsSuccess && o.Result.Status is not (>= 500 and < 600)).ToList();
            if (unclean.Count > 0) problems.Add($"{unclean.Count} failed writes did not answer 5xx, e.g.\n    {string.Join("\n    ", unclean.Take(5))}");
            // It was the surviving silo's vote that removed the crashed one (what the graceful tests count).
            var votes = await Harness.DeathVotesAsync();
            if (!votes.Any(v => v.StartsWith($"silo 127.0.0.1:{victim.SiloPort}@", StringComparison.Ordinal)))
                problems.Add($"no death vote against {victim.Name} in the membership table: [{string.Join("; ", votes)}]");
            AssertNone(problems, load);
        }
        finally
        {
            stop.Cancel();
            await run;
        }
    }

    /// <summary>
    /// Sends a config write through <paramref name="gateway"/> every 100 ms (without waiting for the
    /// answers) until one is acknowledged or 30 s passed since <paramref name="since"/>; returns every
    /// outcome once all are answered.
    /// </summary>
    private static async Task<WriteOutcome[]> ProbeConfigWritesAsync(WriteLoad load, GatewayNode gateway, long firstNumber, TimeSpan since)
    {
        var sent = new List<Task<WriteOutcome>>();
        for (var number = firstNumber; !sent.Any(t => t.IsCompletedSuccessfully && t.Result.Result.IsSuccess) && load.Elapsed - since < TimeSpan.FromSeconds(30); number += 4)
        {
            sent.Add(load.WriteAsync(number, gateway)); // even numbers: PATCH /api-keys
            await Task.Delay(100);
        }

        return await Task.WhenAll(sent);
    }

    /// <summary>
    /// (ii) The silo hosting the config grain is stopped gracefully (SIGTERM) under reads and writes
    /// through both gateways: it hands its grains over before it leaves, so not one request fails and
    /// every write is kept.
    /// </summary>
    [Fact]
    public async Task A_graceful_stop_of_the_config_grains_silo_fails_no_request()
    {
        var victim = await Harness.FindConfigGrainHostAsync();
        await UnderLoadAsync("graceful", async load =>
        {
            var exitCode = await Harness.StopAsync(victim);
            output.WriteLine($"{victim.Name} (config grain host) stopped gracefully with exit code {exitCode} at +{load.Elapsed.TotalMilliseconds:F0} ms");
            await Harness.WaitForMembershipAsync();
            return exitCode == 0 ? [] : [$"{victim.Name} exited with {exitCode} after SIGTERM"];
        });
    }

    /// <summary>
    /// (iii) A rolling restart under reads and writes: every silo, then every gateway, one at a time,
    /// is stopped gracefully, started again and awaited until ready. The test's client is a
    /// <see cref="LoadBalancer"/>: it routes to the gateways whose <c>/readyz</c> answers 200 and sends a
    /// request whose connection is refused to the other gateway. Not one request fails, and every
    /// acknowledged write is in the final state seen through every gateway.
    /// </summary>
    [Fact]
    public async Task A_rolling_restart_of_every_silo_and_gateway_fails_no_request_and_loses_no_write()
    {
        await UnderLoadAsync("rolling", async load =>
        {
            foreach (var node in Harness.RunningSilos.Cast<ClusterNode>().Concat(cluster.Gateways))
            {
                var before = load.Acknowledged;
                var began = load.Elapsed;
                await (node is SiloNode silo ? Harness.RestartAsync(silo) : Harness.RestartAsync((GatewayNode)node));
                output.WriteLine($"restarted {node.Name} in {(load.Elapsed - began).TotalMilliseconds:F0} ms ({load.Acknowledged - before} writes acknowledged meanwhile)");
            }

            await Harness.WaitForMembershipAsync();
            return [];
        });
    }

    /// <summary>
    /// Runs writes (8 workers) and reads (4 workers) through both gateways, each worker pausing 20 ms
    /// after each answer (a steady load that leaves the cores to restarting nodes), waits for 50 acknowledged
    /// writes, runs <paramref name="disturb"/>, keeps the load on until each gateway has answered 20 more
    /// writes, then checks: no request failed, every acknowledged write is kept, no silo cast a death
    /// vote (nothing crashed), and whatever <paramref name="disturb"/> reported.
    /// </summary>
    private async Task UnderLoadAsync(string name, Func<WriteLoad, Task<List<string>>> disturb)
    {
        var votesBefore = await Harness.DeathVotesAsync();
        await using var balancer = new LoadBalancer(cluster.Gateways);
        var load = new WriteLoad(cluster.Gateways, name, balancer);
        var readFailures = new ConcurrentQueue<string>();
        var reads = 0;
        using var stop = new CancellationTokenSource();
        var pause = TimeSpan.FromMilliseconds(20);
        var writing = load.RunUntilAsync(stop.Token, concurrency: 8, pause);
        var reading = Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(async () =>
        {
            string[] paths = ["/v0/management/api-keys", "/v0/management/auth-files", "/v0/management/config"];
            for (var n = worker; !stop.IsCancellationRequested; n++)
            {
                var path = paths[n % paths.Length];
                var (gateway, result) = await GetWithFailOverAsync(balancer.Pick(n), path);
                Interlocked.Increment(ref reads);
                if (result.Status != 200) readFailures.Enqueue($"GET {path} via {gateway.Name} at +{load.Elapsed.TotalMilliseconds:F0} ms: {result}");
                await Task.Delay(pause);
            }
        })));
        try
        {
            await Poll.UntilAsync(() => load.Acknowledged >= 50, TimeSpan.FromSeconds(30), () => load.Summary());
            var problems = await disturb(load);
            var doneAt = load.Elapsed;
            await Poll.UntilAsync(() => cluster.Gateways.All(g => load.Outcomes.Count(o => o.Gateway == g.Name && o.StartedAt > doneAt) >= 20),
                TimeSpan.FromSeconds(30), () => $"writes after the disturbance\n{load.Summary()}");
            stop.Cancel();
            await Task.WhenAll(writing, reading);
            output.WriteLine($"{load.Outcomes.Count} writes, {reads} reads, a gateway taken out of rotation {balancer.TakenOut} times; {load.Summary()}");

            problems.AddRange(await load.CheckStateAsync(cluster.Gateways, Convergence));
            if (load.Failed > 0) problems.Add($"{load.Failed} writes failed");
            if (!readFailures.IsEmpty) problems.Add($"{readFailures.Count} reads failed, e.g.\n    {string.Join("\n    ", readFailures.Take(5))}");
            // Nothing crashed, so no silo may have suspected another one.
            var votes = (await Harness.DeathVotesAsync()).Except(votesBefore).ToList();
            if (votes.Count > 0) problems.Add($"{votes.Count} death votes although no silo crashed:\n    {string.Join("\n    ", votes)}");
            AssertNone(problems, load);
        }
        finally
        {
            stop.Cancel();
            await Task.WhenAll(writing, reading);
        }
    }

    /// <summary>A GET through <paramref name="gateway"/>, sent to the other one when the connection is refused (as a load balancer would).</summary>
    private async Task<(GatewayNode Gateway, HttpResult Result)> GetWithFailOverAsync(GatewayNode gateway, string path)
    {
        var result = await gateway.GetAsync(path);
        if (!result.Refused) return (gateway, result);
        gateway = cluster.Gateways.First(g => g != gateway);
        return (gateway, await gateway.GetAsync(path));
    }
}
