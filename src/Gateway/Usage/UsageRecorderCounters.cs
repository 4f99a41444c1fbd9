namespace CliProxy.Gateway.Usage;

/// <summary>What this node's recorder did since it started (every record ends in exactly one of these, or is still buffered).</summary>
/// <param name="Recorded">Records offered to <see cref="IUsageRecorder.Record"/>.</param>
/// <param name="Disabled">Dropped because <c>usage-statistics-enabled</c> was off.</param>
/// <param name="DroppedFull">Dropped because the buffer was full (the cluster was slow or unreachable).</param>
/// <param name="DroppedStopped">Dropped because they arrived after the final flush of a stopping node.</param>
/// <param name="Counted">Acknowledged by the cluster and counted.</param>
/// <param name="Duplicates">Acknowledged by the cluster as equal to a stored record (not counted again).</param>
/// <param name="Pending">Buffered or in a batch not yet acknowledged.</param>
public sealed record UsageRecorderCounters(long Recorded, long Disabled, long DroppedFull, long DroppedStopped, long Counted, long Duplicates, long Pending);
