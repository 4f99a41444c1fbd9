using System.Diagnostics;
using System.Text;

namespace CliProxy.Bench;

/// <summary>
/// <c>--scenario cluster</c>: two silos and two client-mode gateways on one PostgreSQL (all local
/// processes, see <see cref="LocalCluster"/>).
/// <list type="number">
/// <item>Propagation: <c>--changes</c> (default 200) keys appended through gateway A, one after the
/// other; each is timed from A's acknowledgement until gateway B lists it (B polled back to back).</item>
/// <item>Scaling: closed-loop management reads (<c>GET /config</c>) and writes
/// (<c>PATCH /api-keys</c> replacing entry 0) with the same total number of connections, all on
/// gateway A vs. spread over A and B; the ratio is 2-gateway req/s over 1-gateway req/s.</item>
/// </list>
/// Everything (load generator, PostgreSQL, 2 silos, 2 gateways) shares the machine, so on a small
/// machine the ratio shows CPU saturation rather than the cluster's design limit.
/// </summary>
public static class ClusterBench
{
    public static async Task RunAsync(BenchOptions options, int changes)
    {
        var started = Stopwatch.StartNew();
        await using var cluster = await LocalCluster.StartAsync(silos: 2, gateways: 2);
        Console.WriteLine($"cluster of 2 silos + 2 gateways ready in {started.Elapsed.TotalSeconds:F1} s ({string.Join(", ", cluster.Gateways)})");
        var (a, b) = (cluster.Gateways[0], cluster.Gateways[1]);

        var latencies = await PropagationAsync(a, b, changes);
        var read = new Scenario("GET /v0/management/config", _ => Scenarios.Authorized(HttpMethod.Get, "/v0/management/config"));
        var write = new Scenario("PATCH /v0/management/api-keys", n =>
        {
            var request = Scenarios.Authorized(HttpMethod.Patch, "/v0/management/api-keys");
            request.Content = new StringContent($$"""{"index":0,"value":"sk-cluster-bench-{{n}}"}""", Encoding.UTF8, "application/json");
            return request;
        });
        var rows = new List<(string Name, double One, double Two)>();
        foreach (var scenario in new[] { read, write })
        {
            var one = new List<double>();
            var two = new List<double>();
            for (var round = 1; round <= options.Rounds; round++)
            {
                one.Add((await LoadRun.MeasureAsync([a], scenario, options.Load)).RequestsPerSecond);
                two.Add((await LoadRun.MeasureAsync([a, b], scenario, options.Load)).RequestsPerSecond);
                Console.WriteLine($"round {round}: {scenario.Name,-32} 1 gateway {one[^1],8:F0} req/s   2 gateways {two[^1],8:F0} req/s");
            }
            rows.Add((scenario.Name, Stats.Median(one), Stats.Median(two)));
        }

        Console.WriteLine();
        Console.WriteLine($"| propagation A → B ({latencies.Count} changes, B polled back to back) | p50 | p99 | max |");
        Console.WriteLine("|---|---:|---:|---:|");
        Console.WriteLine($"| PATCH /api-keys acknowledged by A → listed by B's GET /api-keys | {Stats.Percentile(latencies, 0.50):F1} ms | {Stats.Percentile(latencies, 0.99):F1} ms | {latencies.Max():F1} ms |");
        Console.WriteLine();
        Console.WriteLine($"| scenario ({options.Connections} connections in total, {options.Seconds} s per run, median of {options.Rounds} rounds) | 1 gateway req/s | 2 gateways req/s | scaling 2/1 |");
        Console.WriteLine("|---|---:|---:|---:|");
        foreach (var (name, one, two) in rows) Console.WriteLine($"| {name} | {one:F0} | {two:F0} | {two / one:F2}× |");
        Console.WriteLine($"\nmachine: {Environment.ProcessorCount} logical CPUs; load generator, PostgreSQL, 2 silos and 2 gateways on the same machine");
    }

    /// <summary>Appends <paramref name="changes"/> keys through <paramref name="a"/>; returns, per key, ms from A's 2xx until <paramref name="b"/> lists it.</summary>
    private static async Task<List<double>> PropagationAsync(Uri a, Uri b, int changes)
    {
        using var viaA = LoadRun.Client(a);
        using var viaB = LoadRun.Client(b);
        var latencies = new List<double>();
        var prefix = "sk-propagation-" + Guid.NewGuid().ToString("N")[..6];
        for (var i = -5; i < changes; i++) // 5 unmeasured warm-up changes
        {
            var key = $"{prefix}-{i + 5:D4}";
            using var patch = Scenarios.Authorized(HttpMethod.Patch, "/v0/management/api-keys");
            patch.Content = new StringContent($$"""{"old":"absent-{{key}}","new":"{{key}}"}""", Encoding.UTF8, "application/json");
            using (var response = await viaA.SendAsync(patch))
            {
                if (!response.IsSuccessStatusCode) throw new InvalidOperationException($"PATCH via A: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
            }

            var watch = Stopwatch.StartNew();
            var needle = $"\"{key}\"";
            while (true)
            {
                using var get = Scenarios.Authorized(HttpMethod.Get, "/v0/management/api-keys");
                using var response = await viaB.SendAsync(get);
                if ((await response.Content.ReadAsStringAsync()).Contains(needle, StringComparison.Ordinal)) break;
                if (watch.Elapsed > TimeSpan.FromSeconds(30)) throw new TimeoutException($"{key} not visible through B after 30 s");
            }

            if (i >= 0) latencies.Add(watch.Elapsed.TotalMilliseconds);
        }

        return latencies;
    }
}
