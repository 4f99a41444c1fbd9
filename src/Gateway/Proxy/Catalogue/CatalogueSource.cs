using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Proxy.Catalogue;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Credentials;

namespace CliProxy.Gateway.Proxy.Catalogue;

/// <summary>What one proxy request routes with: the config version's settings and the catalogue built from them and the credential index.</summary>
/// <param name="Config">The node's current config version.</param>
/// <param name="Catalogue">The model registry of that version and of the node's credential index.</param>
public sealed record ProxyState(ConfigView Config, UpstreamCatalogue Catalogue);

/// <summary>
/// The node's <see cref="ProxyState"/>: read from the config mirror and the credential index mirror (no grain call while
/// they are fresh), with the catalogue rebuilt only when either changed — once per (config version, index version),
/// never per request. A key removed or a credential disabled through the management API reaches every node's mirror
/// by push (within a second by the version check at worst), and the next request routes without it.
/// </summary>
public sealed class CatalogueSource(ConfigSnapshotCache configs, CredentialIndexMirror credentials)
{
    private Built? _current;

    /// <summary>The current state (built on first use after a change).</summary>
    public async ValueTask<ProxyState> GetAsync()
    {
        var config = await configs.GetAsync();
        var index = await credentials.GetAsync();
        var current = Volatile.Read(ref _current);
        if (current is not null && ReferenceEquals(current.State.Config, config) && ReferenceEquals(current.Index, index)) return current.State;
        // Two requests may build the same pair at once; either result is right, the last one stays.
        var built = new Built(index, new ProxyState(config, UpstreamCatalogue.Build(config.Settings, index)));
        Volatile.Write(ref _current, built);
        return built.State;
    }

    private sealed record Built(CredentialIndex Index, ProxyState State);
}
