using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Resources;
using CliProxy.Domain.Config.Schema;

namespace CliProxy.Domain.Config;

/// <summary>
/// A batch of accepted but not yet stored changes on top of a committed document. Resources see
/// the batch's model so that later changes build on earlier ones; <see cref="Render"/> writes
/// every touched path into the committed document once, leaving all other bytes alone.
/// </summary>
public sealed class ConfigWorkingCopy(ConfigDocument committed) : IConfigView
{
    private readonly HashSet<string> _rootKeys = new(committed.RootKeys, StringComparer.Ordinal);
    private readonly List<IReadOnlyList<string>> _paths = [];

    private JsonObject? _model;

    /// <inheritdoc />
    /// <remarks>The committed model until the first change; a private copy after it.</remarks>
    public JsonObject Model => _model ?? committed.Model;

    /// <summary>True once a change was applied.</summary>
    public bool HasChanges => _paths.Count > 0;

    /// <inheritdoc />
    public bool HasRootKey(string key) => _rootKeys.Contains(key);

    /// <summary>Applies <paramref name="changes"/> to the model.</summary>
    public void Apply(IEnumerable<ConfigChange> changes)
    {
        foreach (var change in changes)
        {
            _model ??= committed.Model.DeepClone().AsObject();
            var parent = _model;
            for (var i = 0; i < change.Path.Count - 1; i++)
            {
                if (parent[change.Path[i]] is not JsonObject next) parent[change.Path[i]] = next = new JsonObject();
                parent = next;
            }
            if (change.Remove) parent.Remove(change.Path[^1]);
            else parent[change.Path[^1]] = change.Value?.DeepClone();
            if (change.Remove && change.Path.Count == 1) _rootKeys.Remove(change.Path[0]);
            else _rootKeys.Add(change.Path[0]);
            _paths.Add(change.Path);
        }
    }

    /// <summary>The committed document with every touched path set to its value in the model (or removed).</summary>
    public ConfigDocument Render()
    {
        var done = new HashSet<string>(StringComparer.Ordinal);
        var changes = new List<(IReadOnlyList<string>, JsonNode?, bool)>();
        foreach (var path in _paths)
        {
            if (!done.Add(string.Join('\u0000', path))) continue;
            var (value, present) = Lookup(path);
            changes.Add((path, present ? ConfigRenderer.ToYaml(value, KindAt(path)) : null, !present));
        }
        return committed.Edit(changes, _model);
    }

    private (JsonNode? Value, bool Present) Lookup(IReadOnlyList<string> path)
    {
        JsonNode? node = Model;
        foreach (var key in path)
        {
            if (node is not JsonObject o || !o.TryGetPropertyValue(key, out node)) return (null, false);
        }
        return (node, true);
    }

    private static FieldKind KindAt(IReadOnlyList<string> path)
    {
        FieldKind kind = FieldKind.Object(ConfigSchemas.Root);
        foreach (var key in path)
        {
            kind = kind switch
            {
                ObjectKind ok => ok.Schema.Find(key)?.Kind ?? FieldKind.Any,
                MapKind mk => mk.Value,
                _ => FieldKind.Any,
            };
        }
        return kind;
    }
}
