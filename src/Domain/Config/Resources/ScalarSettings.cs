using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Schema;

namespace CliProxy.Domain.Config.Resources;

/// <summary>
/// Every scalar setting route (the ampcode scalars included). The rules and normalisers
/// of the values (negative retry settings refused, negative log limits replaced, an unknown routing
/// strategy refused, ampcode strings trimmed) are the schema's (<see cref="ConfigSchemas.Root"/>), so
/// document loading applies the same.
/// </summary>
public static class ScalarSettings
{
    /// <summary>All settings, in the order of the reference's route table.</summary>
    public static IReadOnlyList<ScalarSetting> All { get; } =
    [
        Bool("/debug", "debug", "debug"),
        Bool("/logging-to-file", "logging-to-file", "logging-to-file"),
        new("/logs-max-total-size-mb", "logs-max-total-size-mb", "logs-max-total-size-mb", ScalarType.Int),
        new("/error-logs-max-files", "error-logs-max-files", "error-logs-max-files", ScalarType.Int),
        Bool("/usage-statistics-enabled", "usage-statistics-enabled", "usage-statistics-enabled"),
        new("/proxy-url", "proxy-url", "proxy-url", ScalarType.String, deletable: true),
        Bool("/quota-exceeded/switch-project", "switch-project", "quota-exceeded.switch-project"),
        Bool("/quota-exceeded/switch-preview-model", "switch-preview-model", "quota-exceeded.switch-preview-model"),
        new("/request-retry", "request-retry", "request-retry", ScalarType.Int),
        new("/max-retry-interval", "max-retry-interval", "max-retry-interval", ScalarType.Int),
        Bool("/force-model-prefix", "force-model-prefix", "force-model-prefix"),
        new("/routing/strategy", "strategy", "routing.strategy", ScalarType.String,
            normalize: v => JsonValue.Create(RoutingStrategyNames.Canonical(v.GetValue<string>()) ?? v.GetValue<string>()),
            effective: v => JsonValue.Create(RoutingStrategyNames.Canonical(Str(v)) ?? Str(v).Trim())),
        Bool("/ws-auth", "ws-auth", "ws-auth"),
        Bool("/request-log", "request-log", "request-log"),
        new("/ampcode/upstream-url", "upstream-url", "ampcode.upstream-url", ScalarType.String, deletable: true),
        new("/ampcode/upstream-api-key", "upstream-api-key", "ampcode.upstream-api-key", ScalarType.String, deletable: true),
        Bool("/ampcode/restrict-management-to-localhost", "restrict-management-to-localhost", "ampcode.restrict-management-to-localhost"),
        Bool("/ampcode/force-model-mappings", "force-model-mappings", "ampcode.force-model-mappings"),
    ];

    private static ScalarSetting Bool(string route, string key, string path) => new(route, key, path, ScalarType.Bool);

    private static string Str(JsonNode? v) => v is JsonValue jv && jv.TryGetValue<string>(out var s) ? s : "";
}
