using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Resources;
using CliProxy.Domain.Config.Schema;
using static CliProxy.Domain.Config.Settings.ModelReader;

namespace CliProxy.Domain.Config.Settings;

/// <summary>
/// The typed, immutable settings of one config document version (every key of the document, see the
/// README's configuration section), built once from the document's model (<see cref="ConfigDocument.Settings"/>)
/// so that code serving requests reads fields instead of looking keys up in the model. Absent keys have the
/// reference's defaults: zero values, except <c>pprof.addr</c>, <c>error-logs-max-files</c> (10) and
/// <c>remote-management.panel-github-repository</c>. Unknown keys are not part of it.
/// </summary>
public sealed record ConfigSettings
{
    /// <summary>The settings of an empty document (all defaults).</summary>
    public static ConfigSettings Defaults { get; } = new(new JsonObject());

    /// <summary>Reads the settings of a loaded, normalised model (<see cref="ConfigDocument.Model"/>; only read).</summary>
    public ConfigSettings(JsonObject model)
    {
        Host = Text(model, "host");
        // As the listener always read it: the low 32 bits of the integer (0 or absent: the default port).
        Port = unchecked((int)Int(model, "port"));
        Tls = new TlsSettings(Section(model, "tls"));
        RemoteManagement = RemoteManagementSettings.Of(model);
        AuthDir = Text(model, "auth-dir");
        ProxyUrl = Text(model, "proxy-url");
        ForceModelPrefix = Bool(model, "force-model-prefix");
        RequestLog = Bool(model, "request-log");
        ClientKeys = Strings(model, "api-keys").ToFrozenSet(StringComparer.Ordinal);
        PassthroughHeaders = Bool(model, "passthrough-headers");
        Streaming = new StreamingSettings(Section(model, "streaming"));
        NonstreamKeepaliveInterval = Seconds(model, "nonstream-keepalive-interval");
        Debug = Bool(model, "debug");
        Pprof = new PprofSettings(Section(model, "pprof"));
        CommercialMode = Bool(model, "commercial-mode");
        LoggingToFile = Bool(model, "logging-to-file");
        LogsMaxTotalSizeMb = Int(model, "logs-max-total-size-mb");
        ErrorLogsMaxFiles = Int(model, "error-logs-max-files", ConfigSchemas.DefaultErrorLogsMaxFiles);
        UsageStatisticsEnabled = Bool(model, "usage-statistics-enabled");
        DisableCooling = Bool(model, "disable-cooling");
        RequestRetry = Int(model, "request-retry");
        MaxRetryInterval = Seconds(model, "max-retry-interval");
        QuotaExceeded = new QuotaExceededSettings(Section(model, "quota-exceeded"));
        RoutingStrategy = RoutingStrategyNames.Parse(Text(Section(model, "routing"), "strategy")) ?? RoutingStrategy.RoundRobin;
        WsAuth = Bool(model, "ws-auth");
        GeminiKeys = Objects(model, "gemini-api-key", e => new GeminiKey(e));
        CodexKeys = Objects(model, "codex-api-key", e => new CodexKey(e));
        ClaudeKeys = Objects(model, "claude-api-key", e => new ClaudeKey(e));
        ClaudeHeaderDefaults = new ClaudeHeaderDefaults(Section(model, "claude-header-defaults"));
        OpenAICompatibility = Objects(model, "openai-compatibility", e => new OpenAICompatibilityProvider(e));
        VertexKeys = Objects(model, "vertex-api-key", e => new VertexKey(e));
        Ampcode = new AmpcodeSettings(Section(model, "ampcode"));
        OAuthExcludedModels = Map(model, "oauth-excluded-models", Strings);
        OAuthModelAlias = Map(model, "oauth-model-alias", list => Objects(list, a => new OAuthModelAlias(a)));
        Payload = new PayloadSettings(Section(model, "payload"));
    }

    /// <summary><c>host</c>: the listener's address (<c>""</c>: all interfaces).</summary>
    public string Host { get; init; }

    /// <summary><c>port</c>: the listener's port (0 when absent: the default port).</summary>
    public int Port { get; init; }

    /// <summary><c>tls</c>.</summary>
    public TlsSettings Tls { get; init; }

    /// <summary><c>remote-management</c>.</summary>
    public RemoteManagementSettings RemoteManagement { get; init; }

    /// <summary><c>auth-dir</c> as written (resolve it with <see cref="ConfigPaths.AuthDirectory"/>).</summary>
    public string AuthDir { get; init; }

    /// <summary><c>proxy-url</c>: the global outbound proxy (http, https, socks5), or <c>""</c>.</summary>
    public string ProxyUrl { get; init; }

    /// <summary><c>force-model-prefix</c>: a credential with a prefix serves only <c>prefix/model</c> names.</summary>
    public bool ForceModelPrefix { get; init; }

    /// <summary><c>request-log</c>: log every proxied request.</summary>
    public bool RequestLog { get; init; }

    /// <summary><c>api-keys</c>: the client keys the proxy accepts (compared ordinally).</summary>
    public FrozenSet<string> ClientKeys { get; init; }

    /// <summary><c>passthrough-headers</c>: forward the client's headers upstream.</summary>
    public bool PassthroughHeaders { get; init; }

    /// <summary><c>streaming</c>.</summary>
    public StreamingSettings Streaming { get; init; }

    /// <summary><c>nonstream-keepalive-interval</c>: keep-alive interval of non-streamed answers (zero: none).</summary>
    public TimeSpan NonstreamKeepaliveInterval { get; init; }

    /// <summary><c>debug</c>: debug logging.</summary>
    public bool Debug { get; init; }

    /// <summary><c>pprof</c>.</summary>
    public PprofSettings Pprof { get; init; }

    /// <summary><c>commercial-mode</c>.</summary>
    public bool CommercialMode { get; init; }

    /// <summary><c>logging-to-file</c>: write logs to files instead of the console.</summary>
    public bool LoggingToFile { get; init; }

    /// <summary><c>logs-max-total-size-mb</c>: size limit of the log files in MB (0: unlimited).</summary>
    public long LogsMaxTotalSizeMb { get; init; }

    /// <summary><c>error-logs-max-files</c>: error log files kept (0: no cleanup; 10 when absent).</summary>
    public long ErrorLogsMaxFiles { get; init; }

    /// <summary><c>usage-statistics-enabled</c>: count usage per request.</summary>
    public bool UsageStatisticsEnabled { get; init; }

    /// <summary><c>disable-cooling</c>: never put a failing credential on hold.</summary>
    public bool DisableCooling { get; init; }

    /// <summary><c>request-retry</c>: extra rounds across credentials after a failed upstream call.</summary>
    public long RequestRetry { get; init; }

    /// <summary><c>max-retry-interval</c>: the longest wait for a credential that is on hold.</summary>
    public TimeSpan MaxRetryInterval { get; init; }

    /// <summary><c>quota-exceeded</c>.</summary>
    public QuotaExceededSettings QuotaExceeded { get; init; }

    /// <summary><c>routing.strategy</c>.</summary>
    public RoutingStrategy RoutingStrategy { get; init; }

    /// <summary><c>ws-auth</c>: require a client key on the WebSocket routes.</summary>
    public bool WsAuth { get; init; }

    /// <summary><c>gemini-api-key</c>, in file order.</summary>
    public ImmutableArray<GeminiKey> GeminiKeys { get; init; }

    /// <summary><c>codex-api-key</c>, in file order.</summary>
    public ImmutableArray<CodexKey> CodexKeys { get; init; }

    /// <summary><c>claude-api-key</c>, in file order.</summary>
    public ImmutableArray<ClaudeKey> ClaudeKeys { get; init; }

    /// <summary><c>claude-header-defaults</c>.</summary>
    public ClaudeHeaderDefaults ClaudeHeaderDefaults { get; init; }

    /// <summary><c>openai-compatibility</c>, in file order.</summary>
    public ImmutableArray<OpenAICompatibilityProvider> OpenAICompatibility { get; init; }

    /// <summary><c>vertex-api-key</c>, in file order.</summary>
    public ImmutableArray<VertexKey> VertexKeys { get; init; }

    /// <summary><c>ampcode</c>.</summary>
    public AmpcodeSettings Ampcode { get; init; }

    /// <summary><c>oauth-excluded-models</c>: OAuth channel (lower-case) → model patterns it does not serve.</summary>
    public FrozenDictionary<string, ImmutableArray<string>> OAuthExcludedModels { get; init; }

    /// <summary><c>oauth-model-alias</c>: OAuth channel (lower-case) → its model aliases.</summary>
    public FrozenDictionary<string, ImmutableArray<OAuthModelAlias>> OAuthModelAlias { get; init; }

    /// <summary><c>payload</c>.</summary>
    public PayloadSettings Payload { get; init; }
}
