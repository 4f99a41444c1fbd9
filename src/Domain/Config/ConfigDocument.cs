using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Resources;
using CliProxy.Domain.Config.Schema;
using CliProxy.Domain.Config.Settings;
using CliProxy.Domain.Yaml;
using YamlDotNet.RepresentationModel;

namespace CliProxy.Domain.Config;

/// <summary>
/// An immutable, loaded config document: the YAML text (the source of truth) and the typed model
/// derived from it (decoded, defaults left to the renderer, normalised). Never mutate
/// <see cref="Model"/>; build a new document from new text instead.
/// </summary>
public sealed partial class ConfigDocument : IConfigView
{
    private ConfigDocument(string text, JsonObject model, IReadOnlyList<string> warnings, IReadOnlySet<string> rootKeys, RootBlocks? blocks,
        IReadOnlyDictionary<string, YamlSource>? parsedBlocks = null)
    {
        ParsedBlocks = parsedBlocks ?? new Dictionary<string, YamlSource>();
        Text = text;
        Model = model;
        Warnings = warnings;
        RootKeys = rootKeys;
        Blocks = blocks;
    }

    /// <summary>The YAML text.</summary>
    public string Text { get; }

    /// <summary>Where each top-level key sits in <see cref="Text"/> (null when the root is not a block mapping).</summary>
    private RootBlocks? Blocks { get; }

    /// <summary>The parsed text of the blocks the last edit produced, so editing them again needs no parse.</summary>
    private IReadOnlyDictionary<string, YamlSource> ParsedBlocks { get; }

    /// <summary>The typed, normalised model (absent keys are missing; see <see cref="FieldKind"/>).</summary>
    public JsonObject Model { get; }

    /// <summary>What load-time normalisation dropped (for the log).</summary>
    public IReadOnlyList<string> Warnings { get; }

    /// <summary>The top-level keys present in the text, known or not.</summary>
    public IReadOnlySet<string> RootKeys { get; }

    /// <summary>
    /// Loads a new <paramref name="text"/> (a whole-document PUT, a hand edit, a start-up file, an
    /// import). Throws <see cref="ConfigLoadException"/> with the reference's decoder message (e.g.
    /// <c>yaml: line 1: did not find expected node content</c> or
    /// <c>yaml: unmarshal errors:\n  line 2: cannot unmarshal !!str `abc` into bool</c>), or
    /// <see cref="ConfigRuleException"/> when a value breaks a rule its management route enforces
    /// (e.g. <c>request-retry: value must not be negative</c>; the rules are listed in the README).
    /// An empty or comments-only text is valid and yields defaults.
    /// </summary>
    public static ConfigDocument Load(string text)
    {
        var document = LoadStored(text, out var violations);
        return violations.Count == 0 ? document : throw new ConfigRuleException(violations);
    }

    /// <summary>
    /// Loads a text that is already the document in force (the stored document when the config
    /// grain activates, or a snapshot of it): decoding errors still throw, broken rules are only
    /// reported in <paramref name="violations"/> (the entries concerned are dropped as the
    /// reference's sanitisers drop them), so a document stored before a rule existed stays usable.
    /// </summary>
    public static ConfigDocument LoadStored(string text, out IReadOnlyList<string> violations)
    {
        YamlSource src;
        try
        {
            src = YamlSource.Parse(text);
        }
        catch (YamlEditException e)
        {
            throw new ConfigLoadException(DuplicateKeyMessage(text, e) ?? e.Message);
        }
        var decoder = new YamlDecoder();
        JsonObject model;
        var keys = new HashSet<string>(StringComparer.Ordinal);
        switch (src.Root)
        {
            case null:
                model = new JsonObject();
                break;
            case YamlMappingNode map:
                model = decoder.DecodeObject(map, ConfigSchemas.Root) ?? new JsonObject();
                foreach (var (k, _) in map.Children)
                    if (k is YamlScalarNode s && s.Value is not null) keys.Add(s.Value);
                break;
            default:
                model = decoder.DecodeObject(src.Root, ConfigSchemas.Root) ?? new JsonObject();
                break;
        }
        if (decoder.Errors.Count > 0)
            throw new ConfigLoadException("yaml: unmarshal errors:\n  " + string.Join("\n  ", decoder.Errors));
        var warnings = new List<string>();
        var broken = new List<string>();
        LoadNormalizer.Apply(model, warnings, broken);
        violations = broken;
        return new ConfigDocument(text, model, warnings, keys, RootBlocks.Of(src));
    }

    /// <inheritdoc />
    public bool HasRootKey(string key) => RootKeys.Contains(key);

    /// <summary>
    /// The typed settings of this version, built from <see cref="Model"/> on first use and kept (a
    /// document never changes, so neither do its settings).
    /// </summary>
    public ConfigSettings Settings => _settings ?? BuildSettings();

    /// <summary>
    /// <see cref="ConfigSettings.RemoteManagement"/> of this version, read alone: the config grain publishes it
    /// with every version for the access checks, and building all of <see cref="Settings"/> per write would
    /// cost about as much as rendering the write.
    /// </summary>
    public RemoteManagementSettings RemoteManagement => _settings?.RemoteManagement ?? (_remoteManagement ??= RemoteManagementSettings.Of(Model));

    private ConfigSettings? _settings;
    private RemoteManagementSettings? _remoteManagement;

    // Two threads may both build them; they are equal, and one wins.
    private ConfigSettings BuildSettings() => LazyInitializer.EnsureInitialized(ref _settings, () => new ConfigSettings(Model));

    private static string? DuplicateKeyMessage(string text, YamlEditException e)
    {
        if (e.InnerException is not YamlDotNet.Core.YamlException ye || !ye.Message.StartsWith("Duplicate key", StringComparison.Ordinal)) return null;
        var key = ye.Message["Duplicate key".Length..].Trim();
        var lines = text.Split('\n');
        var dupLine = (int)ye.Start.Line;
        var column = (int)ye.Start.Column - 1;
        for (var i = dupLine - 2; i >= 0; i--)
        {
            var line = lines[i].TrimEnd('\r');
            var indent = line.Length - line.TrimStart(' ').Length;
            if (line.Trim().Length == 0 || line.TrimStart().StartsWith('#')) continue;
            if (indent < column) break;
            if (indent == column && (line.TrimStart().StartsWith(key + ":", StringComparison.Ordinal) || line.TrimStart().StartsWith($"\"{key}\":", StringComparison.Ordinal)))
                return $"yaml: unmarshal errors:\n  line {dupLine}: mapping key \"{key}\" already defined at line {i + 1}";
        }
        return $"yaml: unmarshal errors:\n  line {dupLine}: mapping key \"{key}\" already defined";
    }
}

/// <summary>A config text that cannot be loaded; <see cref="Exception.Message"/> is the decoder's message.</summary>
public class ConfigLoadException(string message) : Exception(message);

/// <summary>
/// A config text that decodes but holds a value its management route would refuse
/// (<c>PUT /config.yaml</c> answers <c>422 invalid_config</c>); <see cref="Exception.Message"/> names
/// the key and the problem, e.g. <c>request-retry: value must not be negative</c>, one line per violation.
/// </summary>
public sealed class ConfigRuleException(IReadOnlyList<string> violations) : ConfigLoadException(string.Join("\n", violations))
{
    /// <summary>Every broken rule, <c>&lt;key&gt;: &lt;problem&gt;</c>.</summary>
    public IReadOnlyList<string> Violations { get; } = violations;
}
