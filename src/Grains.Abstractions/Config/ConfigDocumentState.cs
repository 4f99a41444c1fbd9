using CliProxy.Abstractions.Idempotency;

namespace CliProxy.Abstractions.Config;

/// <summary>
/// Persisted state of the config grain: the YAML text, its version, and the keys of the changes
/// applied under an <c>Idempotency-Key</c>. In the embedded mode the storage is the config file
/// itself (only <see cref="Yaml"/> is kept there; <see cref="AppliedRequests"/> go to a file in the
/// data folder, written before the config file).
/// </summary>
[GenerateSerializer]
public sealed class ConfigDocumentState
{
    /// <summary>The document text; null when nothing was ever stored.</summary>
    [Id(0)] public string? Yaml { get; set; }

    /// <summary>Version of <see cref="Yaml"/> (see <see cref="ConfigSnapshot.Version"/>).</summary>
    [Id(1)] public long Version { get; set; }

    /// <summary>
    /// Keys of the changes applied under an <c>Idempotency-Key</c>, oldest first (bounded, see
    /// <see cref="IdempotencyLimits.MaxAppliedRequests"/>); stored by the same write as the change.
    /// </summary>
    [Id(2)] public List<AppliedRequest> AppliedRequests { get; set; } = [];
}
