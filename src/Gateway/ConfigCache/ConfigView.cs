using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CliProxy.Abstractions.Config;
using CliProxy.Domain.Config;
using CliProxy.Domain.Config.Resources;
using CliProxy.Domain.Config.Schema;
using CliProxy.Domain.Config.Settings;

namespace CliProxy.Gateway.ConfigCache;

/// <summary>
/// One config version as this node serves it: the snapshot, its parsed document, and the GET
/// answers rendered once per version (so reads cost no grain call and no re-rendering).
/// Thread-safe: the model is only read under a lock, answers are cached as UTF-8 bytes.
/// </summary>
public sealed class ConfigView
{
    private readonly ConcurrentDictionary<string, byte[]> _answers = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly Lazy<ConfigDocument> _document;

    /// <summary>Wraps <paramref name="snapshot"/> (a document the config grain accepted); it is parsed on first use, once.</summary>
    public ConfigView(ConfigSnapshot snapshot)
    {
        Snapshot = snapshot;
        _document = new Lazy<ConfigDocument>(() => ConfigDocument.LoadStored(snapshot.Yaml, out _), LazyThreadSafetyMode.ExecutionAndPublication);
    }

    /// <summary>The snapshot.</summary>
    public ConfigSnapshot Snapshot { get; }

    /// <summary>Its version.</summary>
    public long Version => Snapshot.Version;

    /// <summary>The parsed document (do not mutate its model).</summary>
    public ConfigDocument Document => _document.Value;

    /// <summary>
    /// The typed settings of this version (parsed on first use, once). The access check reads
    /// <see cref="Management"/> instead, which needs no parse.
    /// </summary>
    public ConfigSettings Settings => Document.Settings;

    /// <summary>The <c>remote-management</c> settings, as the snapshot carries them.</summary>
    public RemoteManagementSettings Management => Snapshot.Management;

    /// <summary><c>remote-management.secret-key</c> (bcrypt hash) or <c>""</c>.</summary>
    public string SecretHash => Snapshot.Management.SecretKey;

    /// <summary><c>remote-management.allow-remote</c>.</summary>
    public bool AllowRemote => Snapshot.Management.AllowRemote;

    /// <summary><c>remote-management.disable-control-panel</c>.</summary>
    public bool DisableControlPanel => Snapshot.Management.DisableControlPanel;

    /// <summary>Body of <c>GET /config</c>.</summary>
    public byte[] ConfigJson => Answer("/config", () => ConfigRenderer.Output(Document.Model, ConfigSchemas.Root));

    /// <summary>Body of the GET of <paramref name="resource"/>.</summary>
    public byte[] Read(ConfigResource resource) => Answer(resource.Route, () => resource.Read(Document));

    private byte[] Answer(string key, Func<JsonObject> render) => _answers.GetOrAdd(key, _ =>
    {
        lock (_gate) return System.Text.Encoding.UTF8.GetBytes(render().ToJsonString());
    });
}
