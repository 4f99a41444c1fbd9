using System.Globalization;
using System.IO.Enumeration;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Settings;
using CliProxy.Domain.Proxy.Routing;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// The config's <c>payload</c> rules applied to an upstream request body (the reference's <c>applyPayloadConfig</c>), in
/// its order: <c>default</c> then <c>default-raw</c> set a parameter the body does not have (the first matching rule wins),
/// <c>override</c> then <c>override-raw</c> set it always (the last wins), <c>filter</c> removes it. A rule matches when
/// one of its <c>models</c> names the upstream model or the model the client asked for (its thinking suffix dropped, and
/// as sent) with <c>*</c> wildcards, case-sensitively, and its <c>protocol</c> is blank or the upstream's format
/// (<see cref="FormatOf"/>). Parameters are paths as the reference's sjson reads them: object keys separated by <c>.</c>
/// (<c>\.</c> for a dot in a key), a number selects an array item (past the end when setting: the array is padded with
/// nulls), <c>-1</c> appends when setting and is the last item when filtering, and containers missing on the way are
/// created (an array when the next key is a number; at most <see cref="MaxPadding"/> nulls). A raw rule's string value is
/// JSON text: one that does not parse is skipped. Defaults look at the body as it came. A body that is not a JSON
/// object, that no rule changed, or that cannot be written back keeps its bytes.
/// </summary>
public static class PayloadRules
{
    /// <summary>Most nulls a rule may pad an array with to reach its index (a larger one is skipped, not a memory hog).</summary>
    public const int MaxPadding = 1024;

    /// <summary>The reference's name of an upstream protocol in payload rules: <c>openai</c>, <c>codex</c>, <c>claude</c>, <c>gemini</c>, else <c>""</c>.</summary>
    public static string FormatOf(UpstreamProtocol protocol) => protocol switch
    {
        UpstreamProtocol.OpenAIChat => "openai",
        UpstreamProtocol.OpenAIResponses => "codex",
        UpstreamProtocol.ClaudeMessages => "claude",
        UpstreamProtocol.Gemini => "gemini",
        _ => "",
    };

    /// <summary>Whether the config has any rule (when not, bodies are not looked at).</summary>
    public static bool Any(PayloadSettings rules) =>
        rules.Default.Length + rules.DefaultRaw.Length + rules.Override.Length + rules.OverrideRaw.Length + rules.Filter.Length > 0;

    /// <summary>
    /// <paramref name="body"/> with the matching rules applied, or the same bytes when none matched or changed it.
    /// <paramref name="requested"/> is the client's model as sent (with a thinking suffix, if any).
    /// </summary>
    public static ReadOnlyMemory<byte> Apply(ReadOnlyMemory<byte> body, PayloadSettings rules, UpstreamProtocol protocol, string upstreamModel, ModelName requested)
    {
        var format = FormatOf(protocol);
        string[] models = [.. new[] { upstreamModel, requested.Base, requested.Base + requested.Suffix }.Select(m => m.Trim()).Where(m => m.Length > 0).Distinct()];
        bool Matches(IEnumerable<PayloadModel> selectors) => selectors.Any(s =>
            s.Name.Trim().Length > 0 && (s.Protocol.Trim().Length == 0 || format.Length == 0 || s.Protocol.Trim().Equals(format, StringComparison.OrdinalIgnoreCase))
            && models.Any(m => FileSystemName.MatchesSimpleExpression(s.Name.Trim(), m, ignoreCase: false)));

        var sets = new List<(string Path, JsonNode? Value, bool OnlyIfAbsent)>();
        foreach (var rule in rules.Default.Where(r => Matches(r.Models))) AddSets(sets, rule, raw: false, onlyIfAbsent: true);
        foreach (var rule in rules.DefaultRaw.Where(r => Matches(r.Models))) AddSets(sets, rule, raw: true, onlyIfAbsent: true);
        foreach (var rule in rules.Override.Where(r => Matches(r.Models))) AddSets(sets, rule, raw: false, onlyIfAbsent: false);
        foreach (var rule in rules.OverrideRaw.Where(r => Matches(r.Models))) AddSets(sets, rule, raw: true, onlyIfAbsent: false);
        var removals = rules.Filter.Where(r => Matches(r.Models)).SelectMany(r => r.Params).Where(p => p.Trim().Length > 0).ToList();
        if (sets.Count == 0 && removals.Count == 0) return body;
        if (Parse(body) is not JsonObject root) return body;

        try
        {
            // Defaults are checked against the body as it came (the reference's source payload), before any rule ran.
            var had = sets.Where(s => s.OnlyIfAbsent).Select(s => s.Path).Distinct()
                .Where(path => Find(root, Segments(path), lastForMinusOne: false, out _)).ToHashSet(StringComparer.Ordinal);
            var changed = false;
            foreach (var (path, value, onlyIfAbsent) in sets)
            {
                if (onlyIfAbsent && !had.Add(path)) continue; // present, or set by an earlier default
                changed |= Set(root, Segments(path), value?.DeepClone());
            }
            foreach (var path in removals) changed |= Remove(root, Segments(path));
            return changed ? Encoding.UTF8.GetBytes(root.ToJsonString(JsonBody.Unescaped)) : body;
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            return body; // e.g. a lone surrogate in a string: the body goes as the client sent it
        }
    }

    private static void AddSets(List<(string, JsonNode?, bool)> sets, PayloadRule rule, bool raw, bool onlyIfAbsent)
    {
        foreach (var (path, value) in rule.Params)
        {
            if (path.Trim().Length == 0) continue;
            if (!raw) sets.Add((path.Trim(), JsonSerializer.SerializeToNode(value), onlyIfAbsent));
            else if (RawValue(value, out var node)) sets.Add((path.Trim(), node, onlyIfAbsent));
        }
    }

    private static bool RawValue(JsonElement value, out JsonNode? node)
    {
        node = null;
        if (value.ValueKind != JsonValueKind.String) return (node = JsonSerializer.SerializeToNode(value)) is not null; // null: skipped
        try
        {
            node = JsonNode.Parse(value.GetString()!);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static JsonNode? Parse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonNode.Parse(body.Span);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The keys of a path: split at dots that are not escaped with a backslash.</summary>
    internal static List<string> Segments(string path)
    {
        var segments = new List<string>();
        var current = new StringBuilder();
        for (var i = 0; i < path.Length; i++)
        {
            if (path[i] == '\\' && i + 1 < path.Length) current.Append(path[++i]);
            else if (path[i] == '.')
            {
                segments.Add(current.ToString());
                current.Clear();
            }
            else current.Append(path[i]);
        }
        segments.Add(current.ToString());
        return segments;
    }

    /// <summary>
    /// Whether the path exists (a JSON <c>null</c> value exists too) and, if so, its node; <c>-1</c> is an array's last
    /// item when <paramref name="lastForMinusOne"/> (sjson's delete), else no item (gjson's get).
    /// </summary>
    private static bool Find(JsonNode? node, List<string> segments, bool lastForMinusOne, out JsonNode? found)
    {
        found = null;
        foreach (var key in segments)
        {
            switch (node)
            {
                case JsonObject o when o.TryGetPropertyValue(key, out var child):
                    node = child;
                    break;
                case JsonArray a when IsIndex(key, out var i) && (i >= 0 || lastForMinusOne) && a.Count > 0 && i < a.Count:
                    node = a[i == -1 ? a.Count - 1 : i];
                    break;
                default:
                    return false;
            }
        }
        found = node;
        return true;
    }

    private static bool Set(JsonObject root, List<string> segments, JsonNode? value)
    {
        JsonNode parent = root;
        for (var i = 0; i < segments.Count; i++)
        {
            var key = segments[i];
            var last = i == segments.Count - 1;
            // What goes at this key: the value at the end; on the way an existing container, else a new one (an array
            // when the next key is a number, as sjson makes it).
            JsonNode? Replacement(JsonNode? existing) => last ? value
                : existing is JsonObject or JsonArray ? null
                : IsIndex(segments[i + 1], out _) ? new JsonArray() : new JsonObject();
            switch (parent)
            {
                case JsonObject o:
                    o.TryGetPropertyValue(key, out var current);
                    var made = Replacement(current);
                    if (made is not null || last) o[key] = made;
                    if (last) return true;
                    parent = o[key]!;
                    break;
                case JsonArray a when IsIndex(key, out var index):
                    if (index == -1) index = a.Count;
                    if (index - a.Count > MaxPadding) return false;
                    while (a.Count < index) a.Add(null); // sjson pads with nulls up to the item set
                    if (index == a.Count) a.Add(Replacement(null));
                    else
                    {
                        var replaced = Replacement(a[index]);
                        if (replaced is not null || last) a[index] = replaced;
                    }
                    if (last) return true;
                    parent = a[index]!;
                    break;
                default:
                    return false; // a key into an array: sjson fails the same way
            }
        }
        return false;
    }

    /// <summary>An array index as sjson reads one: digits only, or <c>-1</c>.</summary>
    private static bool IsIndex(string key, out int index)
    {
        if (key == "-1")
        {
            index = -1;
            return true;
        }
        return int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out index);
    }

    private static bool Remove(JsonObject root, List<string> segments)
    {
        Find(root, segments[..^1], lastForMinusOne: true, out var parent);
        switch (parent)
        {
            case JsonObject o:
                return o.Remove(segments[^1]);
            case JsonArray a when IsIndex(segments[^1], out var i) && a.Count > 0 && i < a.Count:
                a.RemoveAt(i == -1 ? a.Count - 1 : i);
                return true;
            default:
                return false;
        }
    }
}
