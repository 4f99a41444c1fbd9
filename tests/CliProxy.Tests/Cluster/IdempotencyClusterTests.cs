using CliProxy.Domain.Config;
using CliProxy.Grains.Config;
using CliProxy.Tests.Cluster.Harness;
using Xunit.Abstractions;

namespace CliProxy.Tests.Cluster;

/// <summary>
/// Uncertain outcomes across a silo crash: writes that carry an <c>Idempotency-Key</c> and are retried
/// with it after every failed attempt (through either gateway) end up applied exactly once, although
/// some were stored by the config grain just before its silo was killed and answered 503.
/// </summary>
[Collection(PostgresCollection.Name)]
[Cluster]
public sealed class IdempotencyClusterTests(TwoByTwoCluster cluster, ITestOutputHelper output) : IClassFixture<TwoByTwoCluster>, IAsyncLifetime
{
    private ClusterHarness Harness => cluster.Harness;

    /// <inheritdoc />
    public Task InitializeAsync() => cluster.EnsureHealthyAsync();

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    /// <summary>
    /// 1,000 appends with 48 in flight; the silo hosting the config grain is killed (SIGKILL) after 300
    /// are acknowledged. Every failed attempt is retried with the same key until acknowledged. Then every
    /// client key is listed exactly once through both gateways: none lost, none doubled. Without the
    /// config grain's own record of applied keys, a write stored just before the kill and answered 503
    /// is applied a second time by its retry. Measured with that record switched off: 12 and 21 keys doubled
    /// in two of three runs (the gateway retries a keyed write itself after a timeout), and 3, 29 and 9 in
    /// three of three runs when the gateway does not retry and the clients retry their 503s (25–45 per run).
    /// Whether the kill hits a stored but unanswered batch depends on timing, so a run may not meet the case.
    /// </summary>
    [Fact]
    public async Task Writes_retried_with_their_key_across_a_kill_of_the_config_grains_silo_are_applied_exactly_once()
    {
        var victim = await Harness.FindConfigGrainHostAsync();
        var load = new RetryingWriteLoad(cluster.Gateways, "idem-kill");
        var run = load.RunAsync(count: 1000, concurrency: 48);
        await Poll.UntilAsync(() => load.Acknowledged >= 300 || run.IsCompleted, TimeSpan.FromSeconds(60), load.Summary, TimeSpan.FromMilliseconds(5));
        Assert.False(run.IsCompleted, "the load finished before the kill");
        await Harness.KillAsync(victim);
        output.WriteLine($"killed {victim.Name} (config grain host) after {load.Acknowledged} acknowledged writes");
        await run;

        var writes = load.Writes;
        var retried = writes.Where(w => w.Attempts.Count > 1).ToList();
        var replayed = retried.Count(w => w.Attempts[^1].Replayed);
        var resolvedByOwner = Harness.Nodes.OfType<SiloNode>().Sum(s => Occurrences(s.Log, ConfigGrain.AppliedAgainLog));
        output.WriteLine($"{load.Summary()}\n{retried.Count} writes needed a retry; {replayed} retries answered from the stored answers, " +
                         $"{resolvedByOwner} changes found already applied by the config grain");

        var problems = new List<string>();
        var failed = writes.Where(w => !w.Succeeded).ToList();
        if (failed.Count > 0) problems.Add($"{failed.Count} writes never acknowledged, e.g.\n    {string.Join("\n    ", failed.Take(5))}");
        var expected = writes.Select(w => w.ApiKey).ToList();
        try
        {
            await Poll.UntilAsync(async () =>
            {
                problems.RemoveAll(p => p.StartsWith("GET ", StringComparison.Ordinal));
                foreach (var gateway in cluster.Gateways)
                {
                    var counts = (await gateway.GetApiKeysAsync()).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
                    var missing = expected.Where(k => !counts.ContainsKey(k)).ToList();
                    var doubled = expected.Where(k => counts.GetValueOrDefault(k) > 1).ToList();
                    if (missing.Count > 0) problems.Add($"GET /api-keys via {gateway.Name} lacks {missing.Count} keys, e.g. {string.Join(", ", missing.Take(5))}");
                    if (doubled.Count > 0)
                    {
                        problems.Add($"GET /api-keys via {gateway.Name} lists {doubled.Count} keys more than once, e.g.\n    " +
                                     string.Join("\n    ", writes.Where(w => doubled.Contains(w.ApiKey)).Take(5)));
                    }
                }
                return !problems.Any(p => p.StartsWith("GET ", StringComparison.Ordinal));
            }, TimeSpan.FromSeconds(5), () => "every key exactly once through both gateways", TimeSpan.FromMilliseconds(200));
        }
        catch (TimeoutException)
        {
            // The problems say what is wrong.
        }
        Assert.True(problems.Count == 0, $"{problems.Count} problem(s):\n- {string.Join("\n- ", problems)}\n\n{load.Summary()}\n\n{Harness.Describe()}");
    }

    private static int Occurrences(string text, string part)
    {
        var count = 0;
        for (var at = text.IndexOf(part, StringComparison.Ordinal); at >= 0; at = text.IndexOf(part, at + part.Length, StringComparison.Ordinal)) count++;
        return count;
    }
}
