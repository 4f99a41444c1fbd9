using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CliProxy.Domain.AuthFiles;

/// <summary>
/// Builds the list summary of a credential from its JSON: provider
/// (<c>gemini</c> → <c>gemini-cli</c>), email and label, the disabled flag, prefix, proxy URL,
/// priority, note, project, last refresh, excluded models, and for Codex the selected id_token claims.
/// </summary>
public static class AuthFileSummaries
{
    private static readonly string[] LastRefreshKeys = ["last_refresh", "lastRefresh", "last_refreshed_at", "lastRefreshedAt"];
    private static readonly string[] IdTokenClaimKeys = ["chatgpt_account_id", "chatgpt_plan_type", "chatgpt_subscription_active_start", "chatgpt_subscription_active_until"];

    /// <summary>The summary of credential <paramref name="name"/> whose stored text is <paramref name="json"/>.</summary>
    public static AuthFileSummary Build(string name, string json, DateTimeOffset createdAt, DateTimeOffset updatedAt, string statusMessage = "") =>
        Build(name, json, JsonText.ParseObject(json) ?? new JsonObject(), createdAt, updatedAt, statusMessage);

    /// <summary>As <see cref="Build(string, string, DateTimeOffset, DateTimeOffset, string)"/>, for a caller that already parsed <paramref name="json"/> into <paramref name="obj"/> (only read).</summary>
    public static AuthFileSummary Build(string name, string json, JsonObject obj, DateTimeOffset createdAt, DateTimeOffset updatedAt, string statusMessage = "")
    {
        var type = Str(obj, "type").Trim().ToLowerInvariant();
        var provider = type switch { "" => "unknown", "gemini" => "gemini-cli", _ => type };
        var email = Str(obj, "email").Trim();
        var disabled = obj["disabled"] is JsonValue d && d.GetValueKind() == JsonValueKind.True;
        var prefix = Str(obj, "prefix").Trim().Trim('/');
        return new AuthFileSummary(
            name,
            AuthIndex.ForFile(name),
            provider,
            email.Length > 0 ? email : provider,
            email,
            disabled ? "disabled" : "active",
            statusMessage,
            disabled,
            Encoding.UTF8.GetByteCount(json),
            createdAt,
            updatedAt,
            LastRefresh(obj),
            prefix.Contains('/') ? "" : prefix,
            Str(obj, "proxy_url"),
            Priority(obj),
            Str(obj, "note").Trim(),
            Str(obj, "project_id"),
            provider == "codex" ? IdTokenClaims(Str(obj, "id_token")) : null,
            ModelPatterns.Of(obj["excluded_models"] ?? obj["excluded-models"]),
            DisableCooling(obj["disable_cooling"] ?? obj["disable-cooling"]),
            RequestRetry(obj["request_retry"] ?? obj["request-retry"]));
    }

    /// <summary>A bool, a <c>"true"</c>/<c>"false"</c> string or a number (non-zero: true); anything else reads as absent.</summary>
    private static bool? DisableCooling(JsonNode? node) => node switch
    {
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.GetValue<double>() != 0,
        JsonValue v when v.TryGetValue<string>(out var s) && bool.TryParse(s.Trim(), out var b) => b,
        _ => null,
    };

    /// <summary>An integer or numeric string, negative read as 0; anything else reads as absent.</summary>
    private static int? RequestRetry(JsonNode? node)
    {
        long? value = node switch
        {
            JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var l) => l,
            JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) => p,
            _ => null,
        };
        return value is { } n ? (int)Math.Clamp(n, 0, int.MaxValue) : null;
    }

    private static string Str(JsonObject obj, string key) => obj[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";

    private static long? Priority(JsonObject obj) => obj["priority"] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.TryGetValue<long>(out var l) ? l : (long)v.GetValue<double>(),
        JsonValue v when v.TryGetValue<string>(out var s) && long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) => p,
        _ => null,
    };

    private static DateTimeOffset? LastRefresh(JsonObject obj)
    {
        foreach (var key in LastRefreshKeys)
        {
            switch (obj[key])
            {
                case JsonValue v when v.GetValueKind() == JsonValueKind.Number:
                    return DateTimeOffset.FromUnixTimeSeconds((long)v.GetValue<double>());
                case JsonValue v when v.TryGetValue<string>(out var s):
                    s = s.Trim();
                    if (DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)) return t;
                    if (long.TryParse(s, CultureInfo.InvariantCulture, out var secs)) return DateTimeOffset.FromUnixTimeSeconds(secs);
                    break;
            }
        }
        return null;
    }

    /// <summary>Selected claims of a Codex id_token (read without verifying its signature), as a JSON object text, or null.</summary>
    public static string? IdTokenClaims(string token)
    {
        var parts = token.Split('.');
        if (parts.Length < 2) return null;
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            if (JsonNode.Parse(Convert.FromBase64String(payload))?["https://api.openai.com/auth"] is not JsonObject auth) return null;
            var claims = new JsonObject();
            foreach (var key in IdTokenClaimKeys)
                if (auth[key] is { } value) claims[key == "chatgpt_plan_type" ? "plan_type" : key] = value.DeepClone();
            return claims.Count == 0 ? null : claims.ToJsonString();
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
