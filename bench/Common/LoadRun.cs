using System.Diagnostics;

namespace CliProxy.Bench;

/// <summary>One kind of request, sent in a loop by every connection.</summary>
/// <param name="Name">Label in the report.</param>
/// <param name="Create">Builds request number n.</param>
/// <param name="Baseline">True for the bare endpoint the others are compared with.</param>
/// <param name="Streaming">True when the answer is streamed: the time to its first body byte is measured too.</param>
public sealed record Scenario(string Name, Func<long, HttpRequestMessage> Create, bool Baseline = false, bool Streaming = false);

/// <summary>
/// How long and how wide a run is. <paramref name="Rate"/> (requests per second over all connections) paces it: each
/// connection sends on its own fixed schedule, staggered against the others (below the server's capacity an open loop:
/// latency without queueing); null: a closed loop, every connection sending as soon as its previous answer arrived.
/// </summary>
public sealed record LoadShape(int Connections, double WarmupSeconds, double Seconds, double? Rate = null);

/// <summary>
/// One run's figures: throughput, and per completed request its latency and (streams) time to first byte, in ms; with a
/// CPU sampler, the server's CPU time per completed request in µs; with an allocation sampler, the bytes the server allocated
/// per completed request (each null without its sampler).
/// </summary>
public sealed record LoadResult(double RequestsPerSecond, IReadOnlyList<double> LatenciesMs, IReadOnlyList<double> FirstByteMs, double? CpuUsPerRequest = null,
    double? AllocatedBytesPerRequest = null)
{
    public double P50 => Stats.Percentile(LatenciesMs, 0.50);
    public double P99 => Stats.Percentile(LatenciesMs, 0.99);
    public double FirstByteP50 => Stats.Percentile(FirstByteMs, 0.50);
}

/// <summary>
/// Load over a number of connections: closed loop (every connection sends its next request as soon as the previous one is
/// answered) or paced (<see cref="LoadShape.Rate"/>; a connection that falls behind its schedule sends at once, without
/// making up for the lost slots).
/// </summary>
public static class LoadRun
{
    /// <summary>
    /// Requests per second of <paramref name="scenario"/> after a warm-up, with <see cref="LoadShape.Connections"/>
    /// connections in total spread evenly over <paramref name="targets"/>; any non-2xx answer aborts the run.
    /// <paramref name="cpu"/>, when given, reads the server's CPU time: sampled when measuring starts and ends, it gives
    /// <see cref="LoadResult.CpuUsPerRequest"/> (robust to the machine's other load, unlike the throughput); <paramref name="allocated"/>,
    /// when given, reads the bytes the server allocated until the moment it is called (its answer may come later), the same way, for <see cref="LoadResult.AllocatedBytesPerRequest"/>
    /// (independent of the machine's load altogether).
    /// </summary>
    public static async Task<LoadResult> MeasureAsync(IReadOnlyList<Uri> targets, Scenario scenario, LoadShape shape, Func<TimeSpan>? cpu = null,
        Func<Task<long?>>? allocated = null)
    {
        var clients = targets.Select(g => Client(g, shape.Connections)).ToList();
        long counter = 0, completed = 0;
        var measuring = false;
        using var stop = new CancellationTokenSource();
        var latencies = new List<double>[shape.Connections];
        var firstBytes = new List<double>[shape.Connections];
        async Task Worker(int index, HttpClient client)
        {
            var (mine, firsts) = (latencies[index] = [], firstBytes[index] = []);
            var buffer = new byte[16 * 1024];
            var interval = shape.Rate is { } rate ? (long)(Stopwatch.Frequency * shape.Connections / rate) : 0;
            var next = Stopwatch.GetTimestamp() + interval * index / shape.Connections;
            while (!stop.IsCancellationRequested)
            {
                if (interval > 0)
                {
                    var ahead = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), next);
                    if (ahead > TimeSpan.Zero) await Task.Delay(ahead);
                    next = Math.Max(next, Stopwatch.GetTimestamp() - interval) + interval; // late wake-ups keep the grid
                }
                var started = Stopwatch.GetTimestamp();
                using var request = scenario.Create(Interlocked.Increment(ref counter));
                using var response = await client.SendAsync(request, scenario.Streaming ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, CancellationToken.None);
                if (!response.IsSuccessStatusCode)
                    throw new InvalidOperationException($"{scenario.Name}: HTTP {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
                var firstByte = 0.0;
                if (scenario.Streaming)
                {
                    await using var body = await response.Content.ReadAsStreamAsync();
                    if (await body.ReadAsync(buffer) > 0) firstByte = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                    while (await body.ReadAsync(buffer) > 0)
                    {
                    }
                }
                if (!Volatile.Read(ref measuring)) continue;
                Interlocked.Increment(ref completed);
                mine.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (scenario.Streaming) firsts.Add(firstByte);
            }
        }

        try
        {
            var workers = Enumerable.Range(0, shape.Connections).Select(i => Task.Run(() => Worker(i, clients[i % clients.Count]))).ToList();
            await Task.Delay(TimeSpan.FromSeconds(shape.WarmupSeconds));
            var watch = Stopwatch.StartNew();
            var cpuBefore = cpu?.Invoke();
            Volatile.Write(ref measuring, true);
            var allocatedBefore = allocated?.Invoke(); // a sample is of the moment of the call; it may take a while to answer
            await Task.Delay(TimeSpan.FromSeconds(shape.Seconds));
            Volatile.Write(ref measuring, false);
            var cpuUsed = cpu?.Invoke() - cpuBefore;
            var done = Interlocked.Read(ref completed);
            var rps = done / watch.Elapsed.TotalSeconds;
            var allocatedAfter = allocated?.Invoke();
            var allocatedDuring = allocatedBefore is null || allocatedAfter is null ? null : await allocatedAfter - await allocatedBefore;
            stop.Cancel();
            await Task.WhenAll(workers);
            return new LoadResult(rps, [.. latencies.SelectMany(l => l)], [.. firstBytes.SelectMany(l => l)],
                cpuUsed is { } used && done > 0 ? used.TotalMicroseconds / done : null, allocatedDuring is { } bytes && done > 0 ? (double)bytes / done : null);
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
