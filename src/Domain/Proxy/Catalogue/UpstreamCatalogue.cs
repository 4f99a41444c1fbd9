using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Config.Settings;
using CliProxy.Domain.Proxy.Routing;

namespace CliProxy.Domain.Proxy.Catalogue;

/// <summary>
/// The model registry of one (config version, credential index version) (spec usage §5.3 step 2): every enabled
/// credential — API keys of the config document (<see cref="ConfigCredentials"/>) and auth files
/// (<see cref="FileCredentials"/>) — and, per listed model name, the routes that serve it. Immutable; built once per
/// pair of versions on a node, so a request never builds or fetches it.
/// </summary>
public sealed class UpstreamCatalogue
{
    private readonly FrozenDictionary<string, ModelEntry> _models;

    /// <summary>The catalogue of no credential.</summary>
    public static readonly UpstreamCatalogue Empty = Build(ConfigSettings.Defaults, CredentialIndex.Empty);

    private UpstreamCatalogue(ImmutableArray<UpstreamCredential> credentials, FrozenDictionary<string, ModelEntry> entries, ImmutableArray<ListedModel> models)
    {
        Credentials = credentials;
        _models = entries;
        Models = models;
    }

    /// <summary>Every enabled credential, config keys first (in file order), then auth files by name.</summary>
    public ImmutableArray<UpstreamCredential> Credentials { get; }

    /// <summary>Every listed model once, in order of first appearance (what <c>GET /v1/models</c> shows).</summary>
    public ImmutableArray<ListedModel> Models { get; }

    /// <summary>The routes serving <paramref name="model"/> (suffix-stripped, exact name), empty when none: the model is unknown.</summary>
    public ImmutableArray<ModelRoute> RoutesFor(string model) => _models.TryGetValue(model, out var entry) ? entry.Routes : [];

    /// <summary>The round-robin cursor key of <paramref name="model"/> (<see cref="CredentialPicker.KeyOf"/>), made when the catalogue is built.</summary>
    public string CursorKeyOf(string model) => _models.TryGetValue(model, out var entry) ? entry.CursorKey : CredentialPicker.KeyOf([], model);

    /// <summary>Builds the catalogue of <paramref name="config"/> and <paramref name="index"/>.</summary>
    public static UpstreamCatalogue Build(ConfigSettings config, CredentialIndex index)
    {
        var credentials = ImmutableArray.CreateBuilder<UpstreamCredential>();
        var routes = new Dictionary<string, List<ModelRoute>>(StringComparer.Ordinal);
        var models = new List<ListedModel>();
        var files = FileCredentials.Of(index, config).OrderBy(f => f.Credential.Id, StringComparer.Ordinal);
        foreach (var (credential, served) in ConfigCredentials.Of(config).Concat(files))
        {
            credentials.Add(credential);
            foreach (var (id, upstream, model) in served)
            {
                if (!routes.TryGetValue(id, out var list))
                {
                    routes[id] = list = [];
                    models.Add(Listing(id, credential.Provider, model));
                }
                if (!list.Exists(r => r.Credential.Id == credential.Id)) list.Add(new ModelRoute(credential, upstream));
            }
        }
        return new UpstreamCatalogue(credentials.ToImmutable(),
            routes.ToFrozenDictionary(p => p.Key, p => ModelEntry.Of(p.Key, [.. p.Value]), StringComparer.Ordinal), [.. models]);
    }

    /// <summary>A model's routes and their round-robin cursor key, derived once when the catalogue is built.</summary>
    private sealed record ModelEntry(ImmutableArray<ModelRoute> Routes, string CursorKey)
    {
        public static ModelEntry Of(string model, ImmutableArray<ModelRoute> routes) => new(routes, CredentialPicker.KeyOf(routes, model));
    }

    private static ListedModel Listing(string id, string provider, JsonObject? model)
    {
        var owner = model?["owned_by"] is JsonValue o && o.ToString() is { Length: > 0 } owned ? owned : provider;
        var display = model?["display_name"] is JsonValue d && d.ToString() is { Length: > 0 } name ? name : id;
        var created = model?["created"] is JsonValue c && c.TryGetValue<long>(out var seconds) ? seconds : 0;
        return new ListedModel(id, owner, display, created);
    }
}
