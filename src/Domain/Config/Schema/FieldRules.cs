using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Normalization;
using CliProxy.Domain.Config.Resources;

namespace CliProxy.Domain.Config.Schema;

/// <summary>
/// The checks and normalisers of single config values (<see cref="Field.Check"/>,
/// <see cref="Field.Normalize"/>), written once and applied by both the scalar routes
/// (<see cref="ScalarSetting"/>) and document loading (<see cref="Apply"/>), so a value obeys the
/// same rule whether it comes through its route, <c>PUT /config.yaml</c> or a hand edit.
/// </summary>
public static class FieldRules
{
    /// <summary>Refuses a negative integer (retry counts and intervals, which the reference accepted negative).</summary>
    public static string? NotNegative(JsonNode value) => value.GetValue<long>() < 0 ? "value must not be negative" : null;

    /// <summary>Refuses a routing strategy <see cref="RoutingStrategyNames.Canonical"/> does not know (the reference kept an unknown one from the file, showed it, and routed round-robin).</summary>
    public static string? KnownStrategy(JsonNode value) => RoutingStrategyNames.Canonical(value.GetValue<string>()) is null ? "invalid strategy" : null;

    /// <summary>A negative integer becomes <paramref name="replacement"/> (as the reference normalises log limits).</summary>
    public static Func<JsonNode, JsonNode> NegativeTo(long replacement) =>
        value => value.GetValue<long>() < 0 ? JsonValue.Create(replacement) : value;

    /// <summary>Trims a string (the ampcode strings).</summary>
    public static JsonNode Trim(JsonNode value) => value.GetValue<string>() is var s && s.Trim() != s ? JsonValue.Create(s.Trim()) : value;

    /// <summary><c>ampcode.upstream-api-keys</c>: every entry through <see cref="AmpNormalizer.UpstreamKey"/> (blank keys dropped).</summary>
    public static JsonNode UpstreamApiKeys(JsonNode value) =>
        value is JsonArray entries ? new JsonArray(entries.OfType<JsonObject>().Select(AmpNormalizer.UpstreamKey).OfType<JsonNode>().ToArray()) : value;

    /// <summary>
    /// Applies <paramref name="field"/>'s check and normaliser to its value in <paramref name="parent"/>
    /// (nothing when absent), then those of the fields of a nested object. A broken rule is added
    /// to <paramref name="violations"/> as <c>&lt;path&gt;: &lt;problem&gt;</c>, e.g.
    /// <c>routing.strategy: invalid strategy</c>.
    /// </summary>
    internal static void Apply(JsonObject parent, Field field, string path, List<string> violations)
    {
        if (parent[field.Name] is not { } value) return;
        if (field.Check?.Invoke(value) is { } problem) violations.Add($"{path}: {problem}");
        if (field.Normalize?.Invoke(value) is { } normalized && !ReferenceEquals(normalized, value)) parent[field.Name] = normalized;
        if (field.Kind is ObjectKind nested && parent[field.Name] is JsonObject section)
            foreach (var f in nested.Schema.Fields) Apply(section, f, path + "." + f.Name, violations);
    }
}
