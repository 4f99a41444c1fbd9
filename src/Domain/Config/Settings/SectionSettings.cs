using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Schema;
using static CliProxy.Domain.Config.Settings.ModelReader;

namespace CliProxy.Domain.Config.Settings;

/// <summary><c>tls</c>: HTTPS for the listener.</summary>
/// <param name="Enable"><c>tls.enable</c>.</param>
/// <param name="Cert"><c>tls.cert</c>: PEM certificate file as written (relative to the config folder).</param>
/// <param name="Key"><c>tls.key</c>: PEM key file as written.</param>
public sealed record TlsSettings(bool Enable, string Cert, string Key)
{
    internal TlsSettings(JsonObject? o) : this(Bool(o, "enable"), Text(o, "cert"), Text(o, "key"))
    {
    }
}

/// <summary><c>remote-management</c>: who may use the management API.</summary>
/// <param name="AllowRemote"><c>allow-remote</c>: clients other than loopback may manage (with the key).</param>
/// <param name="SecretKey"><c>secret-key</c>: the bcrypt hash of the management key once the document is
/// accepted (a plaintext is hashed on acceptance), or <c>""</c> when none is set.</param>
/// <param name="DisableControlPanel"><c>disable-control-panel</c>: <c>GET /management.html</c> answers 404.</param>
/// <param name="PanelGitHubRepository"><c>panel-github-repository</c> (the Management Center's repository by default).</param>
public sealed record RemoteManagementSettings(bool AllowRemote, string SecretKey, bool DisableControlPanel, string PanelGitHubRepository)
{
    /// <summary>The settings of a document without a <c>remote-management</c> section.</summary>
    public static RemoteManagementSettings Default { get; } = new((JsonObject?)null);

    /// <summary>The settings of the <c>remote-management</c> section of <paramref name="model"/>.</summary>
    internal static RemoteManagementSettings Of(JsonObject model) => new(Section(model, "remote-management"));

    internal RemoteManagementSettings(JsonObject? o) : this(Bool(o, "allow-remote"), Text(o, "secret-key"), Bool(o, "disable-control-panel"),
        Text(o, "panel-github-repository", ConfigSchemas.DefaultPanelRepository))
    {
    }
}

/// <summary><c>pprof</c>: the profiling listener.</summary>
/// <param name="Enable"><c>pprof.enable</c>.</param>
/// <param name="Addr"><c>pprof.addr</c> (<c>127.0.0.1:8316</c> by default).</param>
public sealed record PprofSettings(bool Enable, string Addr)
{
    internal PprofSettings(JsonObject? o) : this(Bool(o, "enable"), Text(o, "addr", ConfigSchemas.DefaultPprofAddr))
    {
    }
}

/// <summary><c>streaming</c>: keep-alives and retries of streamed answers.</summary>
/// <param name="Keepalive"><c>keepalive-seconds</c>: interval of keep-alive events (zero: none).</param>
/// <param name="BootstrapRetries"><c>bootstrap-retries</c>: retries before the first byte was sent.</param>
public sealed record StreamingSettings(TimeSpan Keepalive, long BootstrapRetries)
{
    internal StreamingSettings(JsonObject? o) : this(Seconds(o, "keepalive-seconds"), Int(o, "bootstrap-retries"))
    {
    }
}

/// <summary><c>quota-exceeded</c>: what the proxy does when an upstream says the quota is used up.</summary>
/// <param name="SwitchProject"><c>switch-project</c>: try another project of the credential.</param>
/// <param name="SwitchPreviewModel"><c>switch-preview-model</c>: fall back to a preview model.</param>
public sealed record QuotaExceededSettings(bool SwitchProject, bool SwitchPreviewModel)
{
    internal QuotaExceededSettings(JsonObject? o) : this(Bool(o, "switch-project"), Bool(o, "switch-preview-model"))
    {
    }
}

/// <summary>How the proxy picks among the credentials that can serve a request (<c>routing.strategy</c>).</summary>
public enum RoutingStrategy
{
    /// <summary>Rotate across the credentials (the default; also for an absent or unknown value).</summary>
    RoundRobin,

    /// <summary>Use the first available credential until it fails.</summary>
    FillFirst,
}

/// <summary><c>claude-header-defaults</c>: header values sent to Claude when the client sent none.</summary>
/// <param name="UserAgent"><c>user-agent</c>.</param>
/// <param name="PackageVersion"><c>package-version</c>.</param>
/// <param name="RuntimeVersion"><c>runtime-version</c>.</param>
/// <param name="Timeout"><c>timeout</c> (a header value, as written).</param>
public sealed record ClaudeHeaderDefaults(string UserAgent, string PackageVersion, string RuntimeVersion, string Timeout)
{
    /// <summary>No value set (the reference's built-in values apply).</summary>
    public static readonly ClaudeHeaderDefaults None = new("", "", "", "");

    internal ClaudeHeaderDefaults(JsonObject? o) : this(Text(o, "user-agent"), Text(o, "package-version"), Text(o, "runtime-version"), Text(o, "timeout"))
    {
    }
}

/// <summary>An <c>oauth-model-alias</c> entry: a model of an OAuth channel offered under another name.</summary>
/// <param name="Name"><c>name</c>: the channel's model.</param>
/// <param name="Alias"><c>alias</c>: the name clients use.</param>
/// <param name="Fork"><c>fork</c>: offer both names instead of replacing the model by its alias.</param>
public sealed record OAuthModelAlias(string Name, string Alias, bool Fork)
{
    internal OAuthModelAlias(JsonObject o) : this(Text(o, "name"), Text(o, "alias"), Bool(o, "fork"))
    {
    }
}

/// <summary><c>ampcode</c>: the Amp CLI integration.</summary>
/// <param name="UpstreamUrl"><c>upstream-url</c>.</param>
/// <param name="UpstreamApiKey"><c>upstream-api-key</c>.</param>
/// <param name="UpstreamApiKeys"><c>upstream-api-keys</c>: per-client upstream keys.</param>
/// <param name="RestrictManagementToLocalhost"><c>restrict-management-to-localhost</c>.</param>
/// <param name="ModelMappings"><c>model-mappings</c>, in file order.</param>
/// <param name="ForceModelMappings"><c>force-model-mappings</c>.</param>
public sealed record AmpcodeSettings(string UpstreamUrl, string UpstreamApiKey, ImmutableArray<AmpUpstreamKey> UpstreamApiKeys,
    bool RestrictManagementToLocalhost, ImmutableArray<AmpModelMapping> ModelMappings, bool ForceModelMappings)
{
    internal AmpcodeSettings(JsonObject? o) : this(Text(o, "upstream-url"), Text(o, "upstream-api-key"),
        Objects(o, "upstream-api-keys", e => new AmpUpstreamKey(Text(e, "upstream-api-key"), Strings(e, "api-keys"))),
        Bool(o, "restrict-management-to-localhost"),
        Objects(o, "model-mappings", e => new AmpModelMapping(Text(e, "from"), Text(e, "to"), Bool(e, "regex"))),
        Bool(o, "force-model-mappings"))
    {
    }
}

/// <summary><c>ampcode.upstream-api-keys[]</c>: the upstream key used for requests that present one of <paramref name="ClientKeys"/>.</summary>
/// <param name="UpstreamApiKey"><c>upstream-api-key</c>.</param>
/// <param name="ClientKeys"><c>api-keys</c>: client keys.</param>
public sealed record AmpUpstreamKey(string UpstreamApiKey, ImmutableArray<string> ClientKeys);

/// <summary><c>ampcode.model-mappings[]</c>: requests for <paramref name="From"/> go to <paramref name="To"/>.</summary>
/// <param name="From"><c>from</c>: a model name, or a regular expression when <paramref name="Regex"/>.</param>
/// <param name="To"><c>to</c>.</param>
/// <param name="Regex"><c>regex</c>.</param>
public sealed record AmpModelMapping(string From, string To, bool Regex);
