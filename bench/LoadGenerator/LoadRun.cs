using System.Diagnostics;

namespace CliProxy.Bench;

/// <summary>Closed-loop load: every connection sends its next request as soon as the previous one is answered.</summary>
public static class LoadRun
{
    /// <summary>
    /// Requests per second of <paramref name="scenario"/> after a warm-up, with
    /// <see cref="BenchOptions.Connections"/> connections in total spread evenly over
    /// <paramref name="gateways"/>; any non-2xx answer aborts the run.
    /// </summary>
    public static async Task<double> MeasureAsync(IReadOnlyList<Uri> gateways, Scenario scenario, BenchOptions options)
    {
        var clients = gateways.Select(g => Client(g, options.Connections)).ToList();
        long counter = 0, completed = 0;
        var measuring = false;
        using var stop = new CancellationTokenSource();
        async Task Worker(HttpClient client)
        {
            while (!stop.IsCancellationRequested)
            {
                using var request = scenario.Create(Interlocked.Increment(ref counter));
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"{scenario.Name}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                if (Volatile.Read(ref measuring)) Interlocked.Increment(ref completed);
            }
        }

        try
        {
            var workers = Enumerable.Range(0, options.Connections).Select(i => Task.Run(() => Worker(clients[i % clients.Count]))).ToList();
            await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));
            var watch = Stopwatch.StartNew();
            Volatile.Write(ref measuring, true);
            await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
            Volatile.Write(ref measuring, false);
            var rps = Interlocked.Read(ref completed) / watch.Elapsed.TotalSeconds;
            stop.Cancel();
            await Task.WhenAll(workers);
            return rps;
        }
        finally
        {
            foreach (var client in clients) client.Dispose();
        }
    }

    /// <summary>An HTTP client for <paramref name="baseAddress"/> with up to <paramref name="connections"/> connections, no proxy.</summary>
    public static HttpClient Client(Uri baseAddress, int connections = 4) =>
        new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, UseProxy = false }) { BaseAddress = baseAddress };
}
