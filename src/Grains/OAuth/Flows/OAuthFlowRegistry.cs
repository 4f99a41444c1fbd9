namespace CliProxy.Grains.OAuth.Flows;

/// <summary>The registered flows (<see cref="IOAuthFlow"/> services), by session provider.</summary>
public sealed class OAuthFlowRegistry(IEnumerable<IOAuthFlow> flows)
{
    private readonly Dictionary<string, IOAuthFlow> _byProvider = flows.ToDictionary(f => f.Provider, StringComparer.Ordinal);

    /// <summary>The flow of <paramref name="provider"/>, or null.</summary>
    public IOAuthFlow? Find(string provider) => _byProvider.GetValueOrDefault(provider);

    /// <summary>The providers that have a flow.</summary>
    public IEnumerable<string> Providers => _byProvider.Keys;
}
