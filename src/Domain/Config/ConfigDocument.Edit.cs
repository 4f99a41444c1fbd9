using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Schema;
using CliProxy.Domain.Yaml;
using YamlDotNet.RepresentationModel;

namespace CliProxy.Domain.Config;

/// <summary>Applying changes to a document.</summary>
public sealed partial class ConfigDocument
{
    /// <summary>
    /// The document after setting or removing the given paths (already checked by the route that
    /// made them: the value rules are not enforced again here). Each change rewrites only the text
    /// of its top-level key (parsed on its own), and only the touched keys are decoded again; a
    /// document whose root is not a block mapping is edited and loaded whole.
    /// </summary>
    /// <param name="changes">Path from the root, the value to write (YAML form), and whether to remove the key instead.</param>
    /// <param name="model">A private copy of <see cref="Model"/> the new document may take over (its touched keys are replaced), or null.</param>
    internal ConfigDocument Edit(IReadOnlyList<(IReadOnlyList<string> Path, JsonNode? Value, bool Remove)> changes, JsonObject? model = null)
    {
        if (Blocks is null) return EditWhole(changes);
        var text = Text;
        var blocks = Blocks.Clone();
        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (path, value, remove) in changes)
        {
            var key = path[0];
            touched.Add(key);
            if (blocks.Find(key) is not { } range)
            {
                if (remove) continue;
                var block = YamlDocumentEditor.Set("", path, value);
                var separator = text.Length == 0 || text.EndsWith('\n') ? "" : NewLineOf(text);
                blocks.Append(key, text.Length + separator.Length, text.Length + separator.Length + block.Length);
                text += separator + block;
                continue;
            }
            var old = text[range.Start..range.End];
            var source = ParsedBlocks.TryGetValue(key, out var parsed) && parsed.Text == old ? parsed : YamlSource.Parse(old);
            var edited = remove && path.Count == 1 ? ""
                : remove ? YamlDocumentEditor.Remove(source, path)
                : YamlDocumentEditor.Set(source, path, value);
            text = string.Concat(text.AsSpan(0, range.Start), edited, text.AsSpan(range.End));
            blocks.Replace(key, edited.Length);
        }
        return Decoded(text, blocks, touched, model ?? Model.DeepClone().AsObject()) ?? LoadStored(text, out _);
    }

    private ConfigDocument EditWhole(IReadOnlyList<(IReadOnlyList<string> Path, JsonNode? Value, bool Remove)> changes)
    {
        var text = Text;
        foreach (var (path, value, remove) in changes)
            text = remove ? YamlDocumentEditor.Remove(text, path) : YamlDocumentEditor.Set(text, path, value);
        return LoadStored(text, out _);
    }

    /// <summary>The new document with only <paramref name="touched"/> decoded again; null if a block does not decode.</summary>
    private ConfigDocument? Decoded(string text, RootBlocks blocks, HashSet<string> touched, JsonObject model)
    {
        var keys = new HashSet<string>(RootKeys, StringComparer.Ordinal);
        var warnings = new List<string>(Warnings);
        var parsed = new Dictionary<string, YamlSource>(StringComparer.Ordinal);
        foreach (var key in touched)
        {
            model.Remove(key);
            keys.Remove(key);
            if (blocks.Find(key) is not { } range) continue;
            var source = YamlSource.Parse(text[range.Start..range.End]);
            if (source.Root is not YamlMappingNode { Children.Count: 1 } map) return null;
            parsed[key] = source;
            keys.Add(key);
            if (ConfigSchemas.Root.Find(key) is not { } field) continue;
            var decoder = new YamlDecoder();
            var value = decoder.Decode(map.Children.Single().Value, field.Kind);
            if (decoder.Errors.Count > 0) return null;
            if (value is not null) model[key] = value;
            // The routes that produce changes enforce the rules themselves, so violations are not collected here.
            LoadNormalizer.ApplyKey(model, key, warnings, []);
        }
        return new ConfigDocument(text, model, warnings, keys, blocks, parsed);
    }

    private static string NewLineOf(string text) => text.Contains("\r\n", StringComparison.Ordinal) ? "\r\n" : "\n";
}
