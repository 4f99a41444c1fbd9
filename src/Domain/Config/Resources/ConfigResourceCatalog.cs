namespace CliProxy.Domain.Config.Resources;

/// <summary>
/// The resources the config grain edits through, by route (a silo service, so that a test silo
/// can add a resource of its own, e.g. one that fails). Every silo of the product registers
/// <see cref="ConfigResources.All"/>.
/// </summary>
public sealed class ConfigResourceCatalog(IEnumerable<ConfigResource> resources)
{
    private readonly Dictionary<string, ConfigResource> _byRoute = resources.ToDictionary(r => r.Route, StringComparer.Ordinal);

    /// <summary>The resource served at <paramref name="route"/>, or null.</summary>
    public ConfigResource? Find(string route) => _byRoute.GetValueOrDefault(route);
}
