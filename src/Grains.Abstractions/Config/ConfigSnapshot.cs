using CliProxy.Domain.Config.Settings;

namespace CliProxy.Abstractions.Config;

/// <summary>
/// One accepted version of the config document, as published by the config grain.
/// </summary>
/// <param name="Version">Increases with every accepted change (also across grain reactivations).</param>
/// <param name="ETag">Strong entity tag of <paramref name="Yaml"/> (quoted; changes whenever the text does).</param>
/// <param name="Yaml">The document text exactly as stored.</param>
/// <param name="Management">The document's <c>remote-management</c> settings (of its typed settings), so the
/// access check of every request needs no parse of <paramref name="Yaml"/>.</param>
/// <param name="SourceMissing">True while the config file was deleted by hand: the document stays in
/// force and the next change writes the file again, but <c>GET /config.yaml</c> answers 404.</param>
[GenerateSerializer, Immutable]
public sealed record ConfigSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] string ETag,
    [property: Id(2)] string Yaml,
    [property: Id(3)] RemoteManagementSettings Management,
    [property: Id(4)] bool SourceMissing = false);
