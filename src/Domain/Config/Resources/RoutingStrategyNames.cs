using CliProxy.Domain.Config.Settings;

namespace CliProxy.Domain.Config.Resources;

/// <summary>The names of the credential routing strategies as config.yaml writes them.</summary>
public static class RoutingStrategyNames
{
    /// <summary>Rotate across credentials.</summary>
    public const string RoundRobin = "round-robin";

    /// <summary>Use the first available credential until it fails.</summary>
    public const string FillFirst = "fill-first";

    /// <summary>
    /// Canonical form: trim, lower-case; <c>""</c>, <c>round-robin</c>, <c>roundrobin</c>, <c>rr</c> →
    /// round-robin; <c>fill-first</c>, <c>fillfirst</c>, <c>ff</c> → fill-first; anything else null.
    /// </summary>
    public static string? Canonical(string value) => value.Trim().ToLowerInvariant() switch
    {
        "" or "round-robin" or "roundrobin" or "rr" => RoundRobin,
        "fill-first" or "fillfirst" or "ff" => FillFirst,
        _ => null,
    };

    /// <summary>The strategy <paramref name="value"/> names (see <see cref="Canonical"/>), or null when it names none.</summary>
    public static RoutingStrategy? Parse(string value) => Canonical(value) switch
    {
        RoundRobin => RoutingStrategy.RoundRobin,
        FillFirst => RoutingStrategy.FillFirst,
        _ => null,
    };
}
