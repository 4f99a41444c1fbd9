namespace CliProxy.Abstractions.Config;

/// <summary>
/// Persisted state of the config grain: the YAML text and its version. In the embedded mode the
/// storage is the config file itself (only <see cref="Yaml"/> is kept there).
/// </summary>
[GenerateSerializer]
public sealed class ConfigDocumentState
{
    /// <summary>The document text; null when nothing was ever stored.</summary>
    [Id(0)] public string? Yaml { get; set; }

    /// <summary>Version of <see cref="Yaml"/> (see <see cref="ConfigSnapshot.Version"/>).</summary>
    [Id(1)] public long Version { get; set; }
}
