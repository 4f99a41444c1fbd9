using System.Diagnostics;
using CliProxy.Tests.Cluster.Harness;
using Xunit.Abstractions;

namespace CliProxy.Tests.Cluster;

/// <summary>
/// The proxy on two gateway processes of one cluster (<see cref="ProxyPairCluster"/>): round-robin spreads over the
/// credentials across both nodes, a 429 seen on one node cools the credential on the other, and a key removed through
/// the management API of one node stops being used on both within a second. Each test has its own model or provider.
/// </summary>
[Collection(PostgresCollection.Name)]
[Cluster]
public sealed class ProxyTwoGatewayTests(ProxyPairCluster cluster, ITestOutputHelper output) : IClassFixture<ProxyPairCluster>
{
    private GatewayNode A => cluster.A;
    private GatewayNode B => cluster.B;

    private string[] KeysFor(string model) => [.. cluster.Upstream.Arrivals.Where(a => a.Model == model).Select(a => a.Key)];

    [Fact]
    public async Task Round_robin_over_two_gateways_gives_each_of_three_credentials_a_third_within_10_percent()
    {
        const int count = 300;
        var statuses = new int[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
            statuses[i] = (await ProxyPairCluster.ChatAsync(i % 2 == 0 ? A : B, "m-spread")).Status);

        Assert.All(statuses, s => Assert.Equal(200, s));
        var counts = KeysFor("m-spread").GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        output.WriteLine($"{count} requests (half per gateway, 8 at a time): {string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key} {c.Value}"))}");
        Assert.Equal(["k-a", "k-b", "k-c"], counts.Keys.Order());
        Assert.All(counts.Values, n => Assert.InRange(n, 90, 110));
    }

    [Fact]
    public async Task A_429_on_gateway_A_keeps_gateway_B_off_the_credential_once_the_push_arrived()
    {
        const string model = "m-cool", cooled = "k-c";
        cluster.Upstream.RateLimited[cooled] = true;
        long answeredAt = 0;
        for (var i = 0; i < 6 && !KeysFor(model).Contains(cooled); i++)
        {
            Assert.Equal(200, (await ProxyPairCluster.ChatAsync(A, model)).Status); // the retry takes the next credential
            answeredAt = Stopwatch.GetTimestamp();
        }
        Assert.Contains(cooled, KeysFor(model));
        cluster.Upstream.RateLimited.TryRemove(cooled, out _); // from now on a use of k-c by B would succeed, so only the push keeps B off it

        // B is off k-c once a full round (three requests) on B leaves it out.
        long roundStart = 0;
        var propagation = await Poll.UntilAsync(async () =>
        {
            roundStart = Stopwatch.GetTimestamp();
            var before = KeysFor(model).Length;
            for (var i = 0; i < 3; i++) Assert.Equal(200, (await ProxyPairCluster.ChatAsync(B, model)).Status);
            return !KeysFor(model)[before..].Contains(cooled);
        }, TimeSpan.FromSeconds(10), () => $"gateway B leaves {cooled} out of a round: {string.Join(" ", KeysFor(model))}", TimeSpan.Zero);
        var bound = Stopwatch.GetElapsedTime(answeredAt, roundStart).TotalMilliseconds;
        output.WriteLine($"429 on A → B off {cooled}: first clean round on B started {Math.Max(0, bound):F0} ms after A answered (poll done after {propagation.TotalMilliseconds:F0} ms)");

        var afterwards = KeysFor(model).Length;
        for (var i = 0; i < 9; i++) Assert.Equal(200, (await ProxyPairCluster.ChatAsync(i % 2 == 0 ? B : A, model)).Status);
        Assert.DoesNotContain(cooled, KeysFor(model)[afterwards..]);
    }

    [Fact]
    public async Task A_key_removed_through_gateway_A_is_used_on_neither_gateway_within_a_second()
    {
        const string model = "m-edit", removed = "k-f";
        for (var i = 0; i < 6; i++) Assert.Equal(200, (await ProxyPairCluster.ChatAsync(i % 2 == 0 ? A : B, model)).Status);
        Assert.Contains(removed, KeysFor(model));

        using var stop = new CancellationTokenSource();
        async Task LoadAsync(GatewayNode gateway)
        {
            while (!stop.IsCancellationRequested) Assert.Equal(200, (await ProxyPairCluster.ChatAsync(gateway, model)).Status);
        }
        var load = Task.WhenAll(LoadAsync(A), LoadAsync(B));
        var patch = await A.SendAsync(HttpMethod.Patch, $"{GatewayNode.Management}/openai-compatibility",
            """{"name":"edit","value":{"api-key-entries":[{"api-key":"k-d"},{"api-key":"k-e"}]}}""");
        var changedAt = Stopwatch.GetTimestamp();
        Assert.True(patch.IsSuccess, patch.ToString());
        await Task.Delay(TimeSpan.FromSeconds(2)); // the load runs for 2 s after the change: that is what is measured
        stop.Cancel();
        await load;

        var arrivals = cluster.Upstream.Arrivals.Where(a => a.Model == model).ToList();
        var lastUse = arrivals.Where(a => a.Key == removed).Max(a => a.ReceivedAt);
        var lastUseMs = Stopwatch.GetElapsedTime(changedAt, lastUse).TotalMilliseconds;
        var after = arrivals.Count(a => a.ReceivedAt > changedAt);
        output.WriteLine($"key removed via A: last use of {removed} {lastUseMs:F0} ms after the PATCH answered ({after} requests on both gateways in the 2 s after)");
        Assert.True(after >= 20, $"only {after} requests after the change");
        Assert.True(lastUseMs < 1000, $"{removed} used {lastUseMs:F0} ms after its removal");
    }
}
