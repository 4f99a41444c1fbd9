using System.Diagnostics;
using System.Text.Json.Nodes;
using CliProxy.Tests.Cluster.Harness;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Process;

/// <summary>
/// Soak (issue 8 item 1): the auth-folder watcher used to die (and stop the process) when a file
/// vanished between listing and reading its size. For a bounded time, a hand create/delete loop
/// of a few hundred files runs in auth-dir together with API upload and delete-all loops; the
/// process must answer its health check throughout, and once the churn stops the list must
/// become exactly the folder's credential files.
/// </summary>
[Process]
public sealed class AuthDirSoakTests(Xunit.Abstractions.ITestOutputHelper output)
{
    private static readonly TimeSpan Churn = TimeSpan.FromSeconds(20);
    private const int HandFiles = 300;
    private const int HandWindow = 150;

    [Fact]
    public async Task Hand_churn_with_api_upload_and_delete_all_loops_keeps_the_process_up_and_the_list_ends_equal_to_the_folder()
    {
        await using var g = await GatewayProcess.StartAsync(Mgmt.FullYaml);
        Directory.CreateDirectory(g.AuthDir());
        using var stop = new CancellationTokenSource(Churn);
        var counts = new Counts();

        var loops = new[]
        {
            Task.Run(() => HandChurn(g, counts, stop.Token)),
            Task.Run(() => UploadLoop(g, counts, stop.Token)),
            Task.Run(() => DeleteAllLoop(g, counts, stop.Token)),
            Task.Run(() => HealthLoop(g, counts, stop.Token)),
        };
        await Task.WhenAll(loops);
        Assert.False(g.HasExited, "the gateway exited during the churn:\n" + Tail(g.Output));
        Assert.True(counts.HandWrites > HandFiles, $"the hand loop wrote only {counts.HandWrites} files");
        Assert.True(counts.Uploads > 0 && counts.DeleteAlls > 0, $"API loops did not run: {counts}");

        var expected = new List<string>();
        var converged = await Poll.UntilAsync(async () =>
        {
            if (g.HasExited) throw new PollAbortedException("the gateway exited:\n" + Tail(g.Output));
            expected = Directory.EnumerateFiles(g.AuthDir(), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList()!;
            var listed = (await g.ListNames()).Order(StringComparer.Ordinal).ToList();
            return listed.SequenceEqual(expected);
        }, TimeSpan.FromSeconds(30), () => $"the list equals the {expected.Count} files of the folder ({counts})", TimeSpan.FromMilliseconds(250));
        Assert.Equal(200, (await g.Raw("GET", "/healthz")).Status);
        output.WriteLine($"{counts}; final list {expected.Count} files, equal to the folder {converged.TotalSeconds:F1} s after the churn stopped");
    }

    /// <summary>Writes hand-0 … hand-299 over and over, deleting each file <see cref="HandWindow"/> writes later.</summary>
    private static async Task HandChurn(GatewayProcess g, Counts counts, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var path = g.AuthPath($"hand-{i % HandFiles}.json");
            await File.WriteAllTextAsync(path, AuthKit.Credential($"hand{i}@example.com"), CancellationToken.None);
            File.Delete(g.AuthPath($"hand-{(i + HandFiles - HandWindow) % HandFiles}.json"));
            Interlocked.Increment(ref counts.HandWrites);
            if (i % 50 == 49) await Task.Yield();
        }
    }

    private static async Task UploadLoop(GatewayProcess g, Counts counts, CancellationToken stop)
    {
        for (var i = 0; !stop.IsCancellationRequested; i++)
        {
            var files = Enumerable.Range(0, 5).Select(k => FilePart.Text("file", $"api-{i % 40}-{k}.json", AuthKit.Credential($"api{i}-{k}@example.com"))).ToArray();
            var r = await g.UploadMultipart(files);
            counts.Record(r.Status);
            Interlocked.Increment(ref counts.Uploads);
        }
    }

    private static async Task DeleteAllLoop(GatewayProcess g, Counts counts, CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            var r = await g.Call("DELETE", "/auth-files?all=true");
            counts.Record(r.Status);
            Interlocked.Increment(ref counts.DeleteAlls);
        }
    }

    /// <summary>Checks every 100 ms that the process lives and answers <c>/healthz</c> with 200.</summary>
    private static async Task HealthLoop(GatewayProcess g, Counts counts, CancellationToken stop)
    {
        var watch = Stopwatch.StartNew();
        while (!stop.IsCancellationRequested)
        {
            Assert.False(g.HasExited, $"the gateway exited after {watch.Elapsed.TotalSeconds:F1} s of churn:\n" + Tail(g.Output));
            Reply r;
            try
            {
                r = await g.Raw("GET", "/healthz");
            }
            catch (HttpRequestException e)
            {
                throw new Xunit.Sdk.XunitException($"/healthz did not answer after {watch.Elapsed.TotalSeconds:F1} s of churn ({e.Message}):\n" + Tail(g.Output));
            }
            Assert.True(r.Status == 200, $"/healthz answered {r}");
            Interlocked.Increment(ref counts.HealthChecks);
            await Task.Delay(100, CancellationToken.None);
        }
    }

    private static string Tail(string output) => output.Length > 4000 ? output[^4000..] : output;

    private sealed class Counts
    {
        public int HandWrites;
        public int Uploads;
        public int DeleteAlls;
        public int HealthChecks;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<int, int> _statuses = new();

        public void Record(int status) => _statuses.AddOrUpdate(status, 1, (_, n) => n + 1);

        public override string ToString() =>
            $"hand writes {HandWrites}, upload requests {Uploads}, delete-alls {DeleteAlls}, health checks {HealthChecks}, API statuses "
            + string.Join(", ", _statuses.OrderBy(kv => kv.Key).Select(kv => $"{kv.Key}×{kv.Value}"));
    }
}
