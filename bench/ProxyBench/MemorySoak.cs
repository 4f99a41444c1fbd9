using System.Diagnostics;
using System.Globalization;
using CliProxy.Bench;

namespace CliProxy.ProxyBench;

/// <summary>One memory sample of the gateway process: seconds into the soak, working set and GC heap in MB.</summary>
public sealed record MemorySample(double Seconds, double WorkingSetMb, double? GcHeapMb);

/// <summary>
/// Non-streaming load through the gateway for the soak's length, sampling every 10 s the process's working set
/// (/proc) and its GC heap after the last collection (the gateway's own <c>/metrics</c>, System.Runtime meter).
/// </summary>
public static class MemorySoak
{
    private static readonly TimeSpan Every = TimeSpan.FromSeconds(10);

    public static async Task<(LoadResult Load, List<MemorySample> Samples)> RunAsync(GatewayUnderTest gateway, Scenario scenario, LoadShape shape)
    {
        var samples = new List<MemorySample>();
        using var stop = new CancellationTokenSource();
        var watch = Stopwatch.StartNew();
        async Task Sample()
        {
            using var process = Process.GetProcessById(gateway.ProcessId);
            var sample = new MemorySample(watch.Elapsed.TotalSeconds, process.WorkingSet64 / 1048576.0, await gateway.MetricAsync("dotnet_gc_last_collection_heap_size_bytes") / 1048576.0);
            samples.Add(sample);
            Console.WriteLine($"soak {sample.Seconds,5:F0} s: working set {sample.WorkingSetMb:F0} MB, GC heap {sample.GcHeapMb?.ToString("F1", CultureInfo.InvariantCulture) ?? "n/a"} MB");
        }
        var sampler = Task.Run(async () =>
        {
            using var timer = new PeriodicTimer(Every);
            try
            {
                while (await timer.WaitForNextTickAsync(stop.Token)) await Sample();
            }
            catch (OperationCanceledException)
            {
            }
        });
        var load = await LoadRun.MeasureAsync([gateway.BaseAddress], scenario, shape);
        await stop.CancelAsync();
        await sampler;
        return (load, samples);
    }
}
