using System.Text.Json.Nodes;
using CliProxy.Domain.Usage;

namespace CliProxy.Tests.Support;

/// <summary>Usage records, the fixture export (fixtures/usage/export-example.json) and JSON helpers for the usage tests.</summary>
public static class UsageKit
{
    /// <summary>The fixture's text.</summary>
    public static string FixtureText => TestPaths.Fixture("usage/export-example.json");

    /// <summary>
    /// The fixture's <c>usage</c> as this port stores it: the upstream key in <c>source</c> masked
    /// (<c>AIza...0000</c>) and every detail with <c>latency_ms: 0</c>.
    /// </summary>
    public static JsonNode FixtureUsageAsStored()
    {
        var usage = JsonNode.Parse(FixtureText)!["usage"]!;
        foreach (var detail in Details(usage))
        {
            if ((string?)detail["source"] == "AIzaSyEXAMPLE-not-a-real-key-0000000") detail["source"] = "AIza...0000";
            detail["latency_ms"] = 0;
        }
        return usage;
    }

    /// <summary>Every detail object of a §1.6 snapshot.</summary>
    public static IEnumerable<JsonObject> Details(JsonNode usage) =>
        usage["apis"]!.AsObject().SelectMany(a => a.Value!["models"]!.AsObject()).SelectMany(m => m.Value!["details"]!.AsArray()).Select(d => d!.AsObject()).ToList();

    /// <summary>A live record of <paramref name="clientKey"/> for <paramref name="model"/> at <paramref name="at"/> (UTC+08:00 unless given).</summary>
    public static UsageRecord Record(string clientKey, string model, DateTimeOffset at, long input = 10, long output = 5, bool failed = false, string source = "alice@example.com",
        TimeZoneInfo? zone = null) =>
        new(clientKey, "POST /v1/chat/completions", "claude", model, "3f9a1c7e22b0d451", source,
            UsageTimestamp.From(at, zone ?? Plus8), new UsageTokens(input, output, 0, 0, 0), failed, 12);

    /// <summary>A fixed UTC+08:00 zone (the fixture's).</summary>
    public static TimeZoneInfo Plus8 { get; } = TimeZoneInfo.CreateCustomTimeZone("UTC+8", TimeSpan.FromHours(8), "UTC+8", "UTC+8");

    /// <summary>The detail of <see cref="Record"/>.</summary>
    public static UsageDetail Detail(string clientKey, string model, DateTimeOffset at, long input = 10, long output = 5, bool failed = false) =>
        Record(clientKey, model, at, input, output, failed).ToDetail();
}
