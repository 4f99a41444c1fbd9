using static CliProxy.Domain.Config.Schema.FieldKind;

namespace CliProxy.Domain.Config.Schema;

/// <summary>
/// The schemas of the config document and its entries (every key the reference knows; see the README). Field
/// order is the reference's output order for <c>GET /config</c> and the list GETs.
/// </summary>
public static class ConfigSchemas
{
    /// <summary>Default of <c>pprof.addr</c>.</summary>
    public const string DefaultPprofAddr = "127.0.0.1:8316";

    /// <summary>Default of <c>remote-management.panel-github-repository</c>.</summary>
    public const string DefaultPanelRepository = "https://github.com/router-for-me/Cli-Proxy-API-Management-Center";

    /// <summary>Default of <c>error-logs-max-files</c>.</summary>
    public const int DefaultErrorLogsMaxFiles = 10;

    private static readonly FieldKind Headers = MapOf(Text);
    private static readonly FieldKind Strings = ListOf(Text);

    /// <summary><c>{name, alias}</c>: a model of a provider entry.</summary>
    public static readonly ObjectSchema ModelAlias = new("config.ModelAlias", [new("name", Text), new("alias", Text)]);

    /// <summary><c>gemini-api-key[]</c>.</summary>
    public static readonly ObjectSchema GeminiKey = new("config.GeminiKey",
    [
        new("api-key", Text), new("priority", Int, true), new("prefix", Text, true), new("base-url", Text, true),
        new("proxy-url", Text, true), new("models", ListOf(Object(ModelAlias)), true), new("headers", Headers, true),
        new("excluded-models", Strings, true),
    ]);

    /// <summary><c>claude-api-key[].cloak</c>.</summary>
    public static readonly ObjectSchema Cloak = new("config.CloakConfig",
    [
        new("mode", Text, true), new("strict-mode", Bool, true), new("sensitive-words", Strings, true),
        new("cache-user-id", OptionalBool, true),
    ]);

    /// <summary><c>claude-api-key[]</c>.</summary>
    public static readonly ObjectSchema ClaudeKey = new("config.ClaudeKey",
    [
        new("api-key", Text), new("priority", Int, true), new("prefix", Text, true), new("base-url", Text),
        new("proxy-url", Text), new("models", ListOf(Object(ModelAlias))), new("headers", Headers, true),
        new("excluded-models", Strings, true), new("cloak", Object(Cloak), true),
    ]);

    /// <summary><c>codex-api-key[]</c>.</summary>
    public static readonly ObjectSchema CodexKey = new("config.CodexKey",
    [
        new("api-key", Text), new("priority", Int, true), new("prefix", Text, true), new("base-url", Text),
        new("websockets", Bool, true), new("proxy-url", Text), new("models", ListOf(Object(ModelAlias))),
        new("headers", Headers, true), new("excluded-models", Strings, true),
    ]);

    /// <summary><c>openai-compatibility[].api-key-entries[]</c>.</summary>
    public static readonly ObjectSchema ApiKeyEntry = new("config.OpenAICompatibilityAPIKey",
        [new("api-key", Text), new("proxy-url", Text, true)]);

    /// <summary><c>openai-compatibility[]</c>.</summary>
    public static readonly ObjectSchema OpenAICompatibility = new("config.OpenAICompatibility",
    [
        new("name", Text), new("priority", Int, true), new("prefix", Text, true), new("base-url", Text),
        new("api-key-entries", ListOf(Object(ApiKeyEntry)), true), new("models", ListOf(Object(ModelAlias))),
        new("headers", Headers, true),
    ]);

    /// <summary><c>vertex-api-key[]</c>.</summary>
    public static readonly ObjectSchema VertexKey = new("config.VertexCompatKey",
    [
        new("api-key", Text), new("priority", Int, true), new("prefix", Text, true), new("base-url", Text, true),
        new("proxy-url", Text, true), new("headers", Headers, true), new("models", ListOf(Object(ModelAlias)), true),
    ]);

    /// <summary><c>oauth-model-alias.&lt;channel&gt;[]</c>.</summary>
    public static readonly ObjectSchema OAuthModelAlias = new("config.OAuthModelAlias",
        [new("name", Text), new("alias", Text), new("fork", Bool, true)]);

    /// <summary><c>ampcode.model-mappings[]</c>.</summary>
    public static readonly ObjectSchema AmpModelMapping = new("config.AmpModelMapping",
        [new("from", Text), new("to", Text), new("regex", Bool, true)]);

    /// <summary><c>ampcode.upstream-api-keys[]</c>.</summary>
    public static readonly ObjectSchema AmpUpstreamApiKey = new("config.AmpUpstreamAPIKeyEntry",
        [new("upstream-api-key", Text), new("api-keys", Strings)]);

    /// <summary><c>ampcode</c>.</summary>
    public static readonly ObjectSchema Ampcode = new("config.AmpCode",
    [
        new("upstream-url", Text, Normalize: FieldRules.Trim), new("upstream-api-key", Text, Normalize: FieldRules.Trim),
        new("upstream-api-keys", ListOf(Object(AmpUpstreamApiKey)), true, Normalize: FieldRules.UpstreamApiKeys),
        new("restrict-management-to-localhost", Bool),
        new("model-mappings", ListOf(Object(AmpModelMapping))), new("force-model-mappings", Bool),
    ]);

    private static readonly ObjectSchema PayloadModel = new("config.PayloadModelRule", [new("name", Text), new("protocol", Text)]);

    private static readonly ObjectSchema PayloadRule = new("config.PayloadRule",
        [new("models", ListOf(Object(PayloadModel))), new("params", MapOf(Any))]);

    private static readonly ObjectSchema PayloadFilterRule = new("config.PayloadFilterRule",
        [new("models", ListOf(Object(PayloadModel))), new("params", Strings)]);

    private static readonly ObjectSchema Payload = new("config.PayloadConfig",
    [
        new("default", ListOf(Object(PayloadRule))), new("default-raw", ListOf(Object(PayloadRule))),
        new("override", ListOf(Object(PayloadRule))), new("override-raw", ListOf(Object(PayloadRule))),
        new("filter", ListOf(Object(PayloadFilterRule))),
    ]);

    private static readonly ObjectSchema RemoteManagement = new("config.RemoteManagement",
    [
        new("allow-remote", Bool), new("secret-key", Text), new("disable-control-panel", Bool),
        new("panel-github-repository", Text, Default: DefaultPanelRepository),
    ]);

    /// <summary>The whole document, in <c>GET /config</c> order (hidden keys last).</summary>
    public static readonly ObjectSchema Root = new("config.Config",
    [
        new("proxy-url", Text), new("force-model-prefix", Bool), new("request-log", Bool), new("api-keys", Strings),
        new("passthrough-headers", Bool),
        new("streaming", Object(new("config.StreamingConfig", [new("keepalive-seconds", Int, true), new("bootstrap-retries", Int, true)]))),
        new("nonstream-keepalive-interval", Int, true),
        new("tls", Object(new("config.TLSConfig", [new("enable", Bool), new("cert", Text), new("key", Text)]))),
        new("debug", Bool),
        new("pprof", Object(new("config.PprofConfig", [new("enable", Bool), new("addr", Text, Default: DefaultPprofAddr)]))),
        new("commercial-mode", Bool), new("logging-to-file", Bool), new("logs-max-total-size-mb", Int, Normalize: FieldRules.NegativeTo(0)),
        new("error-logs-max-files", Int, Default: DefaultErrorLogsMaxFiles, Normalize: FieldRules.NegativeTo(DefaultErrorLogsMaxFiles)),
        new("usage-statistics-enabled", Bool), new("disable-cooling", Bool),
        new("request-retry", Int, Check: FieldRules.NotNegative), new("max-retry-interval", Int, Check: FieldRules.NotNegative),
        new("quota-exceeded", Object(new("config.QuotaExceeded", [new("switch-project", Bool), new("switch-preview-model", Bool)]))),
        new("routing", Object(new("config.RoutingConfig", [new("strategy", Text, true, Check: FieldRules.KnownStrategy)]))),
        new("ws-auth", Bool),
        new("gemini-api-key", ListOf(Object(GeminiKey))), new("codex-api-key", ListOf(Object(CodexKey))),
        new("claude-api-key", ListOf(Object(ClaudeKey))),
        new("claude-header-defaults", Object(new("config.ClaudeHeaderDefaults",
            [new("user-agent", Text), new("package-version", Text), new("runtime-version", Text), new("timeout", Text)]))),
        new("openai-compatibility", ListOf(Object(OpenAICompatibility))), new("vertex-api-key", ListOf(Object(VertexKey))),
        new("ampcode", Object(Ampcode)),
        new("oauth-excluded-models", MapOf(Strings), true), new("oauth-model-alias", MapOf(ListOf(Object(OAuthModelAlias))), true),
        new("payload", Object(Payload)),
        new("host", Text, Hidden: true), new("port", Int, Hidden: true),
        new("remote-management", Object(RemoteManagement), Hidden: true), new("auth-dir", Text, Hidden: true),
    ]);

}
