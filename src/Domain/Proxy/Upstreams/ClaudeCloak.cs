using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CliProxy.Domain.Config.Settings;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// Claude Code cloaking of a request body (the reference's <c>applyCloaking</c>), for clients that are not Claude Code
/// on a Claude credential: Claude Code's identity line leads the <c>system</c> prompt (in <c>strict-mode</c> it is the
/// whole prompt; not for <c>claude-3-5-haiku*</c>), <c>metadata.user_id</c> gets a Claude Code-shaped id unless it has
/// one, and <c>sensitive-words</c> get a zero-width space after their first character in system and message texts.
/// <c>count_tokens</c> gets the identity line only, on every request (<see cref="WithIdentity"/>, as the reference's
/// <c>CountTokens</c>). Other bytes of the body are kept as sent (<see cref="JsonBody"/>); a body whose parts cannot be
/// read (not JSON where expected, a lone surrogate) is sent as it came, for the upstream to answer.
/// </summary>
public static partial class ClaudeCloak
{
    /// <summary>The identity line Claude Code's system prompt starts with.</summary>
    public const string Identity = "You are Claude Code, Anthropic's official CLI for Claude.";

    private const string ZeroWidthSpace = "\u200B";

    /// <summary>
    /// Whether a request is cloaked under <paramref name="settings"/> (null: <c>auto</c>): <c>always</c>, <c>never</c>, or
    /// (<c>auto</c>, blank or any other value) when the client's <c>User-Agent</c> does not start with <c>claude-cli</c>.
    /// </summary>
    public static bool Applies(CloakSettings? settings, string? userAgent) => (settings?.Mode.Trim().ToLowerInvariant()) switch
    {
        "always" => true,
        "never" => false,
        _ => !(userAgent ?? "").StartsWith("claude-cli", StringComparison.Ordinal),
    };

    /// <summary>
    /// The cloaked body. <paramref name="secret"/> keys the stable user id of <c>cache-user-id: true</c> (the same id for
    /// every request of that credential); otherwise each request gets a fresh random id.
    /// </summary>
    public static ReadOnlyMemory<byte> Apply(ReadOnlyMemory<byte> body, CloakSettings? settings, string model, string secret)
    {
        try
        {
            var words = SensitivePattern(settings?.SensitiveWords ?? []);
            // One pass to read the three members, one to write them back: a body with images is not walked six times.
            var parts = words is null ? JsonBody.GetAll(body.Span, "system", "metadata") : JsonBody.GetAll(body.Span, "system", "metadata", "messages");
            var changes = new List<KeyValuePair<string, string>>(3);
            var system = parts.GetValueOrDefault("system") is { } raw ? JsonNode.Parse(raw) : null;
            var systemChanged = false;
            if (TakesIdentity(model)) (system, systemChanged) = (SystemWithIdentity(system, settings?.StrictMode == true), true);
            if (words is not null && Obfuscated(system, words) is { } hidden) (system, systemChanged) = (hidden, true);
            if (systemChanged) changes.Add(new("system", system!.ToJsonString(JsonBody.Unescaped)));
            if (UserIdToSet(parts.GetValueOrDefault("metadata"), settings?.CacheUserId == true ? secret : null) is { } metadata)
                changes.Add(new("metadata", metadata.ToJsonString(JsonBody.Unescaped)));
            if (words is not null && parts.GetValueOrDefault("messages") is { } messages && JsonNode.Parse(messages) is JsonArray list)
            {
                var changed = false;
                foreach (var message in list.OfType<JsonObject>())
                    if (Obfuscated(message["content"], words) is { } content)
                    {
                        message["content"] = content;
                        changed = true;
                    }
                if (changed) changes.Add(new("messages", list.ToJsonString(JsonBody.Unescaped)));
            }
            return JsonBody.SetAll(body, changes);
        }
        catch (Exception e) when (Unreadable(e))
        {
            return body;
        }
    }

    /// <summary>
    /// The body with Claude Code's identity line leading <c>system</c> (a <c>count_tokens</c> body, whoever sent it);
    /// unchanged for <c>claude-3-5-haiku*</c> models and for a body whose <c>system</c> cannot be read.
    /// </summary>
    public static ReadOnlyMemory<byte> WithIdentity(ReadOnlyMemory<byte> body, string model)
    {
        if (!TakesIdentity(model)) return body;
        try
        {
            var system = JsonBody.Get(body.Span, "system") is { } raw ? JsonNode.Parse(raw) : null;
            return JsonBody.Set(body, "system", SystemWithIdentity(system, strict: false).ToJsonString(JsonBody.Unescaped));
        }
        catch (Exception e) when (Unreadable(e))
        {
            return body;
        }
    }

    /// <summary>Every model but Claude 3.5 Haiku gets the identity line (the reference's exception).</summary>
    private static bool TakesIdentity(string model) => !model.StartsWith("claude-3-5-haiku", StringComparison.Ordinal);

    /// <summary>What reading or writing back a body's parts throws for input that is not the JSON it should be.</summary>
    private static bool Unreadable(Exception e) => e is JsonException or InvalidOperationException or FormatException or ArgumentException;

    /// <summary>A Claude Code-shaped user id: <c>user_&lt;64 hex&gt;_account__session_&lt;uuid v4&gt;</c>; stable for a given <paramref name="key"/>, random without one.</summary>
    public static string UserId(string? key)
    {
        var bytes = key is null ? RandomNumberGenerator.GetBytes(48) : SHA384.HashData(Encoding.UTF8.GetBytes("claude-cloak-user:" + key));
        var session = bytes.AsSpan(32, 16).ToArray();
        session[6] = (byte)((session[6] & 0x0F) | 0x40); // version 4
        session[8] = (byte)((session[8] & 0x3F) | 0x80); // RFC 4122 variant
        var uuid = Convert.ToHexStringLower(session);
        return $"user_{Convert.ToHexStringLower(bytes.AsSpan(0, 32))}_account__session_{uuid[..8]}-{uuid[8..12]}-{uuid[12..16]}-{uuid[16..20]}-{uuid[20..]}";
    }

    /// <summary>Whether <paramref name="userId"/> has Claude Code's shape (then it is kept).</summary>
    public static bool IsUserId(string? userId) => userId is not null && UserIdShape().IsMatch(userId);

    private static JsonArray SystemWithIdentity(JsonNode? parsed, bool strict)
    {
        var identity = new JsonObject { ["type"] = "text", ["text"] = Identity };
        if (strict || parsed is null) return [identity];
        if (parsed is JsonArray blocks)
        {
            if (blocks.FirstOrDefault() is JsonObject first && IsString(first["text"], Identity)) return blocks;
            return [identity, .. blocks.Select(b => b?.DeepClone())];
        }
        // A string prompt is kept after the identity line (the reference's non-strict mode replaced it: a defect).
        return parsed.GetValueKind() == JsonValueKind.String
            ? [identity, new JsonObject { ["type"] = "text", ["text"] = parsed.GetValue<string>() }]
            : [identity];
    }

    private static JsonObject? UserIdToSet(string? metadata, string? stableKey)
    {
        var parsed = metadata is null ? new JsonObject() : JsonNode.Parse(metadata) as JsonObject;
        if (parsed is null) return null; // metadata that is not an object is left to the upstream to refuse
        var existing = parsed["user_id"]?.GetValueKind() == JsonValueKind.String ? (string?)parsed["user_id"] : null;
        if (IsUserId(existing)) return null;
        parsed["user_id"] = UserId(stableKey);
        return parsed;
    }

    /// <summary>One case-insensitive pattern of the words of at least two characters, longest first; null when none.</summary>
    private static string? SensitivePattern(IEnumerable<string> words)
    {
        var valid = words.Select(w => w.Trim()).Where(w => w.EnumerateRunes().Count() >= 2 && !w.Contains(ZeroWidthSpace))
            .OrderByDescending(w => w.Length).Select(Regex.Escape).ToList();
        return valid.Count == 0 ? null : string.Join('|', valid);
    }

    /// <summary>The text, or text blocks, of <paramref name="node"/> with each word hidden; null when nothing changed.</summary>
    private static JsonNode? Obfuscated(JsonNode? node, string pattern)
    {
        switch (node)
        {
            case JsonValue value when value.GetValueKind() == JsonValueKind.String:
                var text = value.GetValue<string>();
                var hidden = Hide(text, pattern);
                return hidden == text ? null : JsonValue.Create(hidden);
            case JsonArray blocks:
                var changed = false;
                foreach (var block in blocks.OfType<JsonObject>())
                {
                    if (!IsString(block["type"], "text") || block["text"] is not JsonValue t || t.GetValueKind() != JsonValueKind.String) continue;
                    var before = t.GetValue<string>();
                    var after = Hide(before, pattern);
                    if (after == before) continue;
                    block["text"] = after;
                    changed = true;
                }
                return changed ? blocks : null;
            default:
                return null;
        }
    }

    private static bool IsString(JsonNode? node, string value) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>() == value;

    private static string Hide(string text, string pattern) =>
        Regex.Replace(text, pattern, m =>
        {
            var first = Rune.GetRuneAt(m.Value, 0);
            return first.Utf16SequenceLength >= m.Value.Length ? m.Value : first + ZeroWidthSpace + m.Value[first.Utf16SequenceLength..];
        }, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant);

    [GeneratedRegex("^user_[a-fA-F0-9]{64}_account__session_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")]
    private static partial Regex UserIdShape();
}
