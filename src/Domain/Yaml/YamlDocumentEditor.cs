using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;
using YamlDotNet.RepresentationModel;

namespace CliProxy.Domain.Yaml;

/// <summary>
/// Changes one key of a YAML document while keeping every byte the change does not need:
/// comments, key order, quoting, blank lines and unknown keys survive. Mappings are edited key by
/// key, sequences item by item (items are matched by value, then by an identity key such as
/// <c>name</c> or <c>api-key</c>), scalars keep their quoting style. What cannot be patched in
/// place (flow collections, unusual layouts) is re-rendered in block style.
/// </summary>
public static class YamlDocumentEditor
{
    /// <summary>
    /// Sets the value at <paramref name="path"/> (mapping keys from the root), creating missing
    /// parents. Returns the new text; throws <see cref="YamlEditException"/> when the text is not a
    /// YAML mapping document.
    /// </summary>
    public static string Set(string text, IReadOnlyList<string> path, JsonNode? value) => Set(YamlSource.Parse(text), path, value);

    /// <summary>As <see cref="Set(string, IReadOnlyList{string}, JsonNode?)"/> on an already parsed text.</summary>
    internal static string Set(YamlSource src, IReadOnlyList<string> path, JsonNode? value)
    {
        ArgumentOutOfRangeException.ThrowIfZero(path.Count);
        var edits = new TextEdits(src);
        switch (src.Root)
        {
            case null:
                AppendToDocument(src, edits, (JsonObject)Wrap(path, 0, value)!);
                break;
            case YamlMappingNode { Style: MappingStyle.Flow } flow:
                var merged = YamlJson.ToJson(flow)!.AsObject();
                SetPath(merged, path, 0, value);
                edits.Replace(flow.StartAt(), src.FlowEnd(flow.StartAt()), string.Join(src.NewLine, YamlBlockWriter.Body(merged, 0)));
                break;
            case YamlMappingNode root:
                SetIn(src, edits, root, path, 0, value);
                break;
            default:
                throw new YamlEditException("expected root mapping node");
        }
        return edits.Apply();
    }

    /// <summary>Removes the key at <paramref name="path"/> if present (with its nested head comments).</summary>
    public static string Remove(string text, IReadOnlyList<string> path) => Remove(YamlSource.Parse(text), path);

    /// <summary>As <see cref="Remove(string, IReadOnlyList{string})"/> on an already parsed text.</summary>
    internal static string Remove(YamlSource src, IReadOnlyList<string> path)
    {
        ArgumentOutOfRangeException.ThrowIfZero(path.Count);
        var text = src.Text;
        if (src.Root is null) return text;
        if (src.Root is not YamlMappingNode map) throw new YamlEditException("expected root mapping node");
        YamlNode? ownerKey = null;
        for (var i = 0; i < path.Count - 1; i++)
        {
            if (Find(map, path[i]) is not { Value: YamlMappingNode next } child) return text;
            ownerKey = child.Key;
            map = next;
        }
        var index = IndexOf(map, path[^1]);
        if (index < 0) return text;
        var edits = new TextEdits(src);
        var flow = map.Style == MappingStyle.Flow;
        if (flow || (map.Children.Count == 1 && ownerKey is not null))
        {
            var rest = YamlJson.ToJson(map)!.AsObject();
            rest.Remove(path[^1]);
            if (ownerKey is not null) ReplaceValue(src, edits, ownerKey, map, rest, src.Column(ownerKey.StartAt()));
            else edits.Replace(map.StartAt(), src.FlowEnd(map.StartAt()), rest.Count == 0 ? "{}" : string.Join(src.NewLine, YamlBlockWriter.Body(rest, 0)));
        }
        else
        {
            DeleteEntry(src, edits, map, index, nested: ownerKey is not null);
        }
        return edits.Apply();
    }

    private static void SetIn(YamlSource src, TextEdits edits, YamlMappingNode map, IReadOnlyList<string> path, int depth, JsonNode? value)
    {
        if (map.Style == MappingStyle.Flow)
            throw new YamlEditException("flow mapping"); // callers below never pass one
        var entry = Find(map, path[depth]);
        if (entry is null)
        {
            InsertEntries(src, edits, map, [(path[depth], Wrap(path, depth + 1, value))], nested: depth > 0);
            return;
        }
        var (key, child) = entry.Value;
        var keyIndent = src.Column(key.StartAt());
        if (depth == path.Count - 1)
        {
            ReconcileValue(src, edits, key, child, value, keyIndent);
            return;
        }
        if (child is YamlMappingNode { Style: not MappingStyle.Flow } childMap && childMap.Children.Count > 0)
        {
            SetIn(src, edits, childMap, path, depth + 1, value);
            return;
        }
        var replacement = child is YamlMappingNode ? YamlJson.ToJson(child)!.AsObject() : new JsonObject();
        SetPath(replacement, path, depth + 1, value);
        ReconcileValue(src, edits, key, child, replacement, keyIndent);
    }

    private static void ReconcileValue(YamlSource src, TextEdits edits, YamlNode key, YamlNode old, JsonNode? value, int keyIndent)
    {
        if (YamlJson.Equivalent(old, value)) return;
        var snapshot = edits.Count;
        try
        {
            switch (old, value)
            {
                case (YamlScalarNode s, null or JsonValue) when s.Style is not (ScalarStyle.Literal or ScalarStyle.Folded):
                    ReplaceScalar(edits, s, value);
                    return;
                case (YamlMappingNode { Style: not MappingStyle.Flow } m, JsonObject o) when m.Children.Count > 0 && o.Count > 0:
                    ReconcileMapping(src, edits, m, o);
                    return;
                case (YamlSequenceNode { Style: not SequenceStyle.Flow } q, JsonArray a) when q.Children.Count > 0 && a.Count > 0:
                    ReconcileSequence(src, edits, q, a);
                    return;
            }
        }
        catch (YamlEditException)
        {
            edits.Truncate(snapshot);
        }
        ReplaceValue(src, edits, key, old, value, keyIndent);
    }

    private static void ReplaceScalar(TextEdits edits, YamlScalarNode s, JsonNode? value)
    {
        var text = YamlScalars.Render(value, s.Style);
        if (s.StartAt() == s.EndAt()) text = " " + text; // `key:` with nothing after the colon
        edits.Replace(s.StartAt(), s.EndAt(), text);
    }

    /// <summary>Replaces everything after <c>key:</c> up to the end of the old value.</summary>
    private static void ReplaceValue(YamlSource src, TextEdits edits, YamlNode key, YamlNode old, JsonNode? value, int keyIndent)
    {
        var start = src.AfterColon(key);
        var end = Math.Max(start, src.ContentEnd(old, keyIndent));
        var blockCollection = old is YamlMappingNode { Style: not MappingStyle.Flow, Children.Count: > 0 }
            or YamlSequenceNode { Style: not SequenceStyle.Flow, Children.Count: > 0 };
        if (blockCollection) end = src.LineEnd(end); // a trailing comment belongs to the last item being replaced
        var text = YamlBlockWriter.IsInline(value)
            ? " " + YamlBlockWriter.Inline(value)
            : src.NewLine + string.Join(src.NewLine, YamlBlockWriter.Body(value!, keyIndent + 2));
        edits.Replace(start, end, text);
    }

    private static void ReconcileMapping(YamlSource src, TextEdits edits, YamlMappingNode map, JsonObject value)
    {
        var added = new List<(string, JsonNode?)>();
        for (var i = 0; i < map.Children.Count; i++)
        {
            var (k, v) = map.Children.ElementAt(i);
            var key = KeyText(k);
            // Writers leave zero values out, so an existing `key: ""` / `key: []` already says the same.
            if (key is null || (!value.ContainsKey(key) && !YamlJson.IsZero(v))) DeleteEntry(src, edits, map, i, nested: true);
        }
        foreach (var (k, v) in value)
        {
            var entry = Find(map, k);
            if (entry is null) added.Add((k, v?.DeepClone()));
            else ReconcileValue(src, edits, entry.Value.Key, entry.Value.Value, v, src.Column(entry.Value.Key.StartAt()));
        }
        if (added.Count > 0) InsertEntries(src, edits, map, added, nested: true);
    }

    private static void DeleteEntry(YamlSource src, TextEdits edits, YamlMappingNode map, int index, bool nested)
    {
        var (key, value) = map.Children.ElementAt(index);
        var keyStart = key.StartAt();
        var contentEnd = src.ContentEnd(value, src.Column(keyStart));
        if (src.StartsLine(keyStart))
        {
            var start = src.LineStart(keyStart);
            if (nested) start = src.WithHeadComments(start);
            edits.Replace(start, src.NextLineStart(contentEnd), "");
        }
        else if (index + 1 < map.Children.Count)
        {
            // First key of a mapping that shares the line of its sequence dash: pull the next key up.
            edits.Replace(keyStart, map.Children.ElementAt(index + 1).Key.StartAt(), "");
        }
        else
        {
            edits.Replace(keyStart, src.LineEnd(contentEnd), "");
        }
    }

    private static void InsertEntries(YamlSource src, TextEdits edits, YamlMappingNode map, List<(string Key, JsonNode? Value)> entries, bool nested)
    {
        if (map.Children.Count == 0)
        {
            AppendToDocument(src, edits, ToObject(entries));
            return;
        }
        var (lastKey, lastValue) = map.Children.Last();
        var indent = src.Column(map.Children.First().Key.StartAt());
        var at = src.NextLineStart(src.ContentEnd(lastValue, src.Column(lastKey.StartAt())));
        var lines = entries.SelectMany(e => YamlBlockWriter.Entry(e.Key, e.Value, indent));
        edits.Insert(at, Lines(src, lines, at));
    }

    private static void ReconcileSequence(YamlSource src, TextEdits edits, YamlSequenceNode seq, JsonArray value)
    {
        var items = seq.Children;
        var match = SequenceMatcher.Match(items, value);
        var indent = src.Column(src.DashIndex(items[0]));
        var matchedOld = match.Where(m => m >= 0).ToList();
        if (!matchedOld.SequenceEqual(matchedOld.Order()))
        {
            RebuildSequence(src, edits, seq, value, match, indent);
            return;
        }
        var used = new HashSet<int>(matchedOld);
        for (var i = 0; i < items.Count; i++)
            if (!used.Contains(i)) edits.Replace(ItemStart(src, items[i]), ItemEnd(src, items[i], indent), "");
        var insertAt = ItemStart(src, items[0]);
        for (var j = 0; j < value.Count; j++)
        {
            if (match[j] >= 0)
            {
                ReconcileItem(src, edits, items[match[j]], value[j], indent);
                insertAt = ItemEnd(src, items[match[j]], indent);
            }
            else
            {
                edits.Insert(insertAt, Lines(src, YamlBlockWriter.Item(value[j], indent), insertAt));
            }
        }
    }

    private static void ReconcileItem(YamlSource src, TextEdits edits, YamlNode old, JsonNode? value, int dashIndent)
    {
        if (YamlJson.Equivalent(old, value)) return;
        var snapshot = edits.Count;
        try
        {
            switch (old, value)
            {
                case (YamlScalarNode s, null or JsonValue) when s.Style is not (ScalarStyle.Literal or ScalarStyle.Folded):
                    ReplaceScalar(edits, s, value);
                    return;
                case (YamlMappingNode { Style: not MappingStyle.Flow } m, JsonObject o) when m.Children.Count > 0 && o.Count > 0:
                    ReconcileMapping(src, edits, m, o);
                    return;
            }
        }
        catch (YamlEditException)
        {
            edits.Truncate(snapshot);
        }
        var text = value is JsonArray { Count: > 0 } nested
            ? nested.ToJsonString() // a sequence directly inside a sequence: JSON is valid flow YAML
            : string.Join(src.NewLine, YamlBlockWriter.Item(value, dashIndent)).Substring(dashIndent + 2);
        edits.Replace(old.StartAt(), src.ContentEnd(old, dashIndent), text);
    }

    private static void RebuildSequence(YamlSource src, TextEdits edits, YamlSequenceNode seq, JsonArray value, int[] match, int indent)
    {
        var items = seq.Children;
        var text = new System.Text.StringBuilder();
        for (var j = 0; j < value.Count; j++)
        {
            if (match[j] >= 0 && YamlJson.Equivalent(items[match[j]], value[j]))
            {
                var item = items[match[j]];
                text.Append(src.Text, ItemStart(src, item), ItemEnd(src, item, indent) - ItemStart(src, item));
            }
            else
            {
                foreach (var line in YamlBlockWriter.Item(value[j], indent)) text.Append(line).Append(src.NewLine);
            }
        }
        var end = ItemEnd(src, items[^1], indent);
        if (end == src.Text.Length && !src.Text.EndsWith('\n')) text.Length -= src.NewLine.Length;
        edits.Replace(ItemStart(src, items[0]), end, text.ToString());
    }

    private static int ItemStart(YamlSource src, YamlNode item) => src.WithHeadComments(src.LineStart(src.DashIndex(item)));

    private static int ItemEnd(YamlSource src, YamlNode item, int dashIndent) => src.NextLineStart(src.ContentEnd(item, dashIndent));

    private static void AppendToDocument(YamlSource src, TextEdits edits, JsonObject entries)
    {
        var at = src.Text.Length;
        var lines = entries.SelectMany(e => YamlBlockWriter.Entry(e.Key, e.Value?.DeepClone(), 0));
        edits.Insert(at, Lines(src, lines, at));
    }

    private static string Lines(YamlSource src, IEnumerable<string> lines, int at)
    {
        var body = string.Join("", lines.Select(l => l + src.NewLine));
        return at > 0 && src.Text[at - 1] != '\n' ? src.NewLine + body : body;
    }

    private static JsonObject ToObject(List<(string Key, JsonNode? Value)> entries)
    {
        var obj = new JsonObject();
        foreach (var (k, v) in entries) obj[k] = v;
        return obj;
    }

    private static JsonNode? Wrap(IReadOnlyList<string> path, int depth, JsonNode? value)
    {
        if (depth >= path.Count) return value;
        return new JsonObject { [path[depth]] = Wrap(path, depth + 1, value) };
    }

    private static void SetPath(JsonObject obj, IReadOnlyList<string> path, int depth, JsonNode? value)
    {
        if (depth == path.Count - 1) { obj[path[depth]] = value; return; }
        if (obj[path[depth]] is not JsonObject child) obj[path[depth]] = child = new JsonObject();
        SetPath(child, path, depth + 1, value);
    }

    private static (YamlNode Key, YamlNode Value)? Find(YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
            if (KeyText(k) == key) return (k, v);
        return null;
    }

    private static int IndexOf(YamlMappingNode map, string key)
    {
        var i = 0;
        foreach (var (k, _) in map.Children)
        {
            if (KeyText(k) == key) return i;
            i++;
        }
        return -1;
    }

    private static string? KeyText(YamlNode key) => (key as YamlScalarNode)?.Value;
}
