using CliProxy.Domain.Usage;

namespace CliProxy.Gateway.Usage;

/// <summary>
/// The node's ingestion API of usage records (spec §1.2): the proxy's executors call
/// <see cref="Record"/> once per upstream attempt. It never blocks and never calls a grain: the
/// record joins a bounded buffer that <see cref="UsageFlusher"/> sends to the cluster in batches.
/// </summary>
public interface IUsageRecorder
{
    /// <summary>Buffers <paramref name="record"/>; the outcome says whether it will be counted.</summary>
    UsageRecordOutcome Record(UsageRecord record);

    /// <summary>The current time as a record's timestamp (in the recording time zone, <c>Usage:TimeZone</c>).</summary>
    UsageTimestamp Now();

    /// <summary>The node's counters.</summary>
    UsageRecorderCounters Counters { get; }
}

/// <summary>What <see cref="IUsageRecorder.Record"/> did with a record.</summary>
public enum UsageRecordOutcome
{
    /// <summary>Buffered; the next flush sends it.</summary>
    Buffered,

    /// <summary>Dropped: <c>usage-statistics-enabled</c> is off (spec §1.10).</summary>
    Disabled,

    /// <summary>Dropped and counted: the buffer is full.</summary>
    DroppedFull,

    /// <summary>Dropped and counted: the node has stopped flushing.</summary>
    DroppedStopped,
}
