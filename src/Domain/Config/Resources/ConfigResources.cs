using CliProxy.Domain.Config.Normalization;

namespace CliProxy.Domain.Config.Resources;

/// <summary>Every config route below <c>/v0/management</c> except the whole-document ones, one resource each.</summary>
public static class ConfigResources
{
    /// <summary>All resources.</summary>
    public static IReadOnlyList<ConfigResource> All { get; } =
    [
        .. ScalarSettings.All,
        new ApiKeysResource(),
        .. ProviderList.All.Select(l => new ProviderListResource(l)),
        OAuthMapResource.ExcludedModels,
        OAuthMapResource.ModelAlias,
        new AmpcodeResource(),
        AmpKeyedListResource.ModelMappings,
        AmpKeyedListResource.UpstreamApiKeys,
    ];

    private static readonly Dictionary<string, ConfigResource> ByRoute = All.ToDictionary(r => r.Route, StringComparer.Ordinal);

    /// <summary>The resource served at <paramref name="route"/>, or null.</summary>
    public static ConfigResource? Find(string route) => ByRoute.GetValueOrDefault(route);
}
