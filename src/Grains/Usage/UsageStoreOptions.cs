namespace CliProxy.Grains.Usage;

/// <summary>
/// Retention of usage details, bound from the <c>Usage</c> section of .NET configuration
/// (<c>CLIPROXY_Usage__RecentDetails</c>, …) in every silo.
/// </summary>
public sealed class UsageStoreOptions
{
    /// <summary>Configuration section name.</summary>
    public const string Section = "Usage";

    /// <summary>
    /// How many of the newest details <c>GET /usage</c> shows (kept in the grain's memory; default
    /// 1,000). All details stay in the store for export and de-duplication.
    /// </summary>
    public int RecentDetails { get; set; } = 1000;

    /// <summary>
    /// How long stored details are kept (default zero: for ever). Older details are deleted hourly;
    /// the aggregates keep counting them, and an import skips details older than this.
    /// </summary>
    public TimeSpan DetailRetention { get; set; } = TimeSpan.Zero;

    /// <summary>Details read from the store per query while exporting (default 5,000).</summary>
    public int ExportPageSize { get; set; } = 5000;
}
