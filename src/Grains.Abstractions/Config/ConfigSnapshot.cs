namespace CliProxy.Abstractions.Config;

/// <summary>
/// One accepted version of the config document, as published by the config grain.
/// </summary>
/// <param name="Version">Increases with every accepted change (also across grain reactivations).</param>
/// <param name="ETag">Strong entity tag of <paramref name="Yaml"/> (quoted; changes whenever the text does).</param>
/// <param name="Yaml">The document text exactly as stored.</param>
[GenerateSerializer, Immutable]
public sealed record ConfigSnapshot(
    [property: Id(0)] long Version,
    [property: Id(1)] string ETag,
    [property: Id(2)] string Yaml);
