using System.Diagnostics.Tracing;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;
using Microsoft.Diagnostics.Tracing.Parsers.Clr;

namespace CliProxy.Bench;

/// <summary>
/// Counts the bytes another .NET process allocates, from its runtime's GC <c>AllocationTick</c> events (one each time ~100 KB
/// more were handed to a heap's allocators, carrying that amount) over an EventPipe session without stacks or rundown.
/// <para>
/// Not the process's own <c>GC.GetTotalAllocatedBytes()</c> (the <c>dotnet.gc.heap.total_allocated</c> counter at the gateway's
/// <c>/metrics</c>): the runtime computes that from its heaps' running totals and never reports less than the highest value
/// it reported before, and in a full benchmark run it stood still for minutes in one gateway (0–724 B per request in three of five
/// rounds, the other gateway 8.4 KB throughout). The events' sum only grows with what the allocators are given.
/// </para>
/// </summary>
public sealed class AllocationProbe : IAsyncDisposable
{
    private const int Trimmed = 50_000; // ticks kept (the newest): ~1 minute at the benchmark's allocation rates
    private readonly EventPipeSession _session;
    private readonly Task _reading;
    private readonly Lock _gate = new();
    private readonly List<(DateTime At, long Total)> _ticks = []; // running total after each tick, in the order they arrive
    private long _total;
    private bool _trimmed;

    private AllocationProbe(EventPipeSession session)
    {
        _session = session;
        _reading = Task.Factory.StartNew(Read, TaskCreationOptions.LongRunning);
    }

    /// <summary>Starts counting the allocations of the .NET process <paramref name="processId"/> (its diagnostics socket must be open: the default).</summary>
    public static AllocationProbe Attach(int processId)
    {
        var provider = new EventPipeProvider(ClrTraceEventParser.ProviderName, EventLevel.Verbose, (long)ClrTraceEventParser.Keywords.GC);
        var session = new DiagnosticsClient(processId).StartEventPipeSession(
            new EventPipeSessionConfiguration([provider], circularBufferSizeMB: 16, requestRundown: false, requestStackwalk: false));
        return new AllocationProbe(session);
    }

    /// <summary>
    /// Bytes allocated from the start of the session until the call (the ticks stamped up to then), or null once the session has
    /// ended. Events reach the session in batches, so the call first waits until one stamped later has arrived (up to a second: an
    /// idle process sends none).
    /// </summary>
    public async Task<long?> AllocatedBytesAsync()
    {
        var now = DateTime.UtcNow;
        for (var waits = 0; waits < 50 && Latest() < now && !_reading.IsCompleted; waits++) await Task.Delay(20);
        if (_reading.IsCompleted) return null; // the session ended (the process is gone, or the stream broke): no figure
        lock (_gate)
        {
            for (var i = _ticks.Count - 1; i >= 0; i--)
                if (_ticks[i].At <= now) return _ticks[i].Total;
            return _trimmed ? null : 0; // nothing allocated before the call, or (null) the ticks of its moment were trimmed
        }
    }

    private DateTime Latest()
    {
        lock (_gate) return _ticks.Count == 0 ? DateTime.MinValue : _ticks[^1].At;
    }

    private void Read()
    {
        using var source = new EventPipeEventSource(_session.EventStream);
        source.Clr.GCAllocationTick += Tick;
        source.Process(); // until the session stops or the process exits
    }

    private void Tick(GCAllocationTickTraceData tick)
    {
        lock (_gate)
        {
            _total += tick.AllocationAmount64;
            _ticks.Add((tick.TimeStamp.ToUniversalTime(), _total));
            if (_ticks.Count <= 2 * Trimmed) return;
            _ticks.RemoveRange(0, Trimmed);
            _trimmed = true;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await _session.StopAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is ServerNotAvailableException or IOException or EndOfStreamException)
        {
            // The process is gone: its stream has ended.
        }
        await _reading.WaitAsync(TimeSpan.FromSeconds(5)).ContinueWith(_ => { }, TaskScheduler.Default);
        _session.Dispose();
    }
}
