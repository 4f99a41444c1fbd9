namespace CliProxy.Gateway.Usage;

/// <summary>
/// The node's recording path, bound from the <c>Usage</c> section of .NET configuration
/// (<c>CLIPROXY_Usage__BufferCapacity</c>, <c>--Usage:FlushInterval=00:00:01</c>, …).
/// </summary>
public sealed class UsageRecorderOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Usage";

    /// <summary>
    /// Records this node holds while they wait for a flush (default 100,000). When full, a new
    /// record is dropped and counted (<see cref="UsageRecorderCounters.DroppedFull"/>, a warning in the log).
    /// </summary>
    public int BufferCapacity { get; set; } = 100_000;

    /// <summary>Most records sent in one batch (one grain call, one store transaction; default 10,000).</summary>
    public int MaxBatch { get; set; } = 10_000;

    /// <summary>Time between flushes (default 500 ms); a flush sends batches until the buffer holds less than a full one.</summary>
    public TimeSpan FlushInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest the final flush on shutdown may take (default 10 s).</summary>
    public TimeSpan ShutdownFlushTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// The time zone of live records' timestamps, and so of their day and hour buckets (an IANA or
    /// Windows id; default the process's local zone). Give every node of a cluster the same zone.
    /// </summary>
    public string TimeZone { get; set; } = "";

    /// <summary>Largest <c>POST /usage/import</c> body in bytes (default 32 MiB); larger ones answer 413.</summary>
    public long ImportLimit { get; set; } = 32L * 1024 * 1024;

    /// <summary>Imported details sent to the usage grain per call (default 5,000).</summary>
    public int ImportChunk { get; set; } = 5000;

    /// <summary>The zone named by <see cref="TimeZone"/>.</summary>
    public TimeZoneInfo Zone() => TimeZone.Trim() is { Length: > 0 } id ? TimeZoneInfo.FindSystemTimeZoneById(id) : TimeZoneInfo.Local;
}
