using System.Diagnostics;

namespace CliProxy.Bench;

/// <summary>Closed-loop load: every connection sends its next request as soon as the previous one is answered.</summary>
public static class LoadRun
{
    /// <summary>Requests per second of <paramref name="scenario"/> after a warm-up; any non-2xx answer aborts the run.</summary>
    public static async Task<double> MeasureAsync(Uri baseAddress, Scenario scenario, BenchOptions options)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = options.Connections, UseProxy = false };
        using var client = new HttpClient(handler) { BaseAddress = baseAddress };
        long counter = 0;
        long completed = 0;
        var measuring = false;
        using var stop = new CancellationTokenSource();
        async Task Worker()
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
        var workers = Enumerable.Range(0, options.Connections).Select(_ => Task.Run(Worker)).ToList();
        await Task.Delay(TimeSpan.FromSeconds(options.WarmupSeconds));
        var watch = Stopwatch.StartNew();
        Volatile.Write(ref measuring, true);
        await Task.Delay(TimeSpan.FromSeconds(options.Seconds));
        Volatile.Write(ref measuring, false);
        var elapsed = watch.Elapsed.TotalSeconds;
        var done = Interlocked.Read(ref completed);
        stop.Cancel();
        await Task.WhenAll(workers);
        return done / elapsed;
    }
}
