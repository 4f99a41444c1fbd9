using System.Threading.Channels;
using CliProxy.Domain.Usage;
using Microsoft.Extensions.Options;

namespace CliProxy.Gateway.Usage;

/// <summary>
/// <see cref="IUsageRecorder"/>: a bounded in-memory buffer (<see cref="UsageRecorderOptions.BufferCapacity"/>)
/// between the request path and <see cref="UsageFlusher"/>. A record is normalised at once (so
/// nothing of the request is read later, spec §7 defect 3). When the buffer is full the new record
/// is dropped and counted; after the node's final flush every record is dropped and counted; nothing
/// is dropped silently (spec §7 defect 1: the reference's queue was unbounded).
/// </summary>
public sealed class UsageRecorder : IUsageRecorder
{
    private readonly Channel<UsageDetail> _buffer;
    private readonly UsageSwitch _switch;
    private readonly TimeProvider _time;
    private readonly TimeZoneInfo _zone;
    private volatile bool _stopped;
    private long _recorded, _disabled, _droppedFull, _droppedStopped, _counted, _duplicates;

    /// <summary>A recorder with the node's options, switch and clock.</summary>
    public UsageRecorder(IOptions<UsageRecorderOptions> options, UsageSwitch usageSwitch, TimeProvider time)
    {
        _buffer = Channel.CreateBounded<UsageDetail>(new BoundedChannelOptions(Math.Max(1, options.Value.BufferCapacity))
        {
            SingleReader = true, FullMode = BoundedChannelFullMode.Wait,
        });
        _switch = usageSwitch;
        _time = time;
        _zone = options.Value.Zone();
    }

    /// <inheritdoc />
    public UsageRecordOutcome Record(UsageRecord record)
    {
        Interlocked.Increment(ref _recorded);
        if (_switch.Enabled == false)
        {
            Interlocked.Increment(ref _disabled);
            return UsageRecordOutcome.Disabled;
        }
        if (_stopped)
        {
            Interlocked.Increment(ref _droppedStopped);
            return UsageRecordOutcome.DroppedStopped;
        }
        if (_buffer.Writer.TryWrite(record.ToDetail())) return UsageRecordOutcome.Buffered;
        Interlocked.Increment(ref _droppedFull);
        return UsageRecordOutcome.DroppedFull;
    }

    /// <inheritdoc />
    public UsageTimestamp Now() => UsageTimestamp.From(_time.GetUtcNow(), _zone);

    /// <inheritdoc />
    public UsageRecorderCounters Counters
    {
        get
        {
            var (recorded, disabled, full, stopped) = (Interlocked.Read(ref _recorded), Interlocked.Read(ref _disabled), Interlocked.Read(ref _droppedFull), Interlocked.Read(ref _droppedStopped));
            var (counted, duplicates) = (Interlocked.Read(ref _counted), Interlocked.Read(ref _duplicates));
            return new UsageRecorderCounters(recorded, disabled, full, stopped, counted, duplicates, recorded - disabled - full - stopped - counted - duplicates);
        }
    }

    /// <summary>Moves up to <paramref name="max"/> buffered records into a list, oldest first (the flusher's side).</summary>
    internal List<UsageDetail> Take(int max)
    {
        var list = new List<UsageDetail>(Math.Min(max, _buffer.Reader.Count));
        while (list.Count < max && _buffer.Reader.TryRead(out var d)) list.Add(d);
        return list;
    }

    /// <summary>Records buffered now.</summary>
    internal int Buffered => _buffer.Reader.Count;

    /// <summary>Records the cluster's acknowledgement of a batch.</summary>
    internal void Acknowledge(long counted, long duplicates)
    {
        Interlocked.Add(ref _counted, counted);
        Interlocked.Add(ref _duplicates, duplicates);
    }

    /// <summary>From now on every record is dropped and counted as <see cref="UsageRecordOutcome.DroppedStopped"/> (the final flush is running).</summary>
    internal void Stop() => _stopped = true;
}
