using System.Diagnostics.Metrics;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Credentials;
using CliProxy.Gateway.Management;
using CliProxy.Gateway.Usage;

namespace CliProxy.Gateway.Metrics;

/// <summary>
/// What the management plane adds to ASP.NET Core's own meters (requests by route template and status are
/// <c>http_server_request_duration_seconds</c>), on the meter <see cref="MeterName"/>, read when scraped:
/// <list type="bullet">
/// <item><c>cliproxy_usage_records_total{outcome}</c>: this node's usage recorder since start
/// (<see cref="UsageRecorderCounters"/>; <c>outcome</c> in <c>recorded</c>, <c>disabled</c>, <c>dropped_full</c>,
/// <c>dropped_stopped</c>, <c>counted</c>, <c>duplicate</c>) and <c>cliproxy_usage_records_pending</c>;</item>
/// <item><c>cliproxy_mirror_version{mirror}</c>: the version of this node's copy of the config, the credential
/// index and the management access records (absent until the first copy); the same version on every node means the
/// nodes agree.</item>
/// </list>
/// </summary>
public sealed class ManagementMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CliProxy.Management";

    /// <summary>Creates the observable instruments on a meter of <paramref name="meters"/>.</summary>
    public ManagementMetrics(IMeterFactory meters, IUsageRecorder usage, ConfigSnapshotCache config, CredentialIndexMirror credentials, ManagementAccessCache access)
    {
        var meter = meters.Create(MeterName);
        meter.CreateObservableCounter("cliproxy.usage.records", () => Outcomes(usage.Counters), "{record}", "Usage records of this node's recorder by outcome.");
        meter.CreateObservableUpDownCounter("cliproxy.usage.records.pending", () => usage.Counters.Pending, "{record}", "Usage records buffered or not yet acknowledged.");
        meter.CreateObservableGauge("cliproxy.mirror.version", () => Versions(("config", config.Version), ("credentials", credentials.Version), ("management_access", access.Version)),
            "{version}", "Version of this node's copy of a grain's state.");
    }

    private static IEnumerable<Measurement<long>> Outcomes(UsageRecorderCounters c) =>
    [
        new(c.Recorded, new KeyValuePair<string, object?>("outcome", "recorded")),
        new(c.Disabled, new KeyValuePair<string, object?>("outcome", "disabled")),
        new(c.DroppedFull, new KeyValuePair<string, object?>("outcome", "dropped_full")),
        new(c.DroppedStopped, new KeyValuePair<string, object?>("outcome", "dropped_stopped")),
        new(c.Counted, new KeyValuePair<string, object?>("outcome", "counted")),
        new(c.Duplicates, new KeyValuePair<string, object?>("outcome", "duplicate")),
    ];

    private static IEnumerable<Measurement<long>> Versions(params (string Mirror, long? Version)[] mirrors)
    {
        foreach (var (mirror, version) in mirrors)
            if (version is { } v) yield return new(v, new KeyValuePair<string, object?>("mirror", mirror));
    }
}
