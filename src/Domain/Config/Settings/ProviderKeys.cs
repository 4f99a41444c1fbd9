using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json.Nodes;
using static CliProxy.Domain.Config.Settings.ModelReader;

namespace CliProxy.Domain.Config.Settings;

/// <summary>A model an upstream entry offers: its upstream <c>name</c> and the <c>alias</c> clients ask for.</summary>
/// <param name="Name">The upstream model name.</param>
/// <param name="Alias">The name clients use (may be <c>""</c>).</param>
public sealed record ModelAlias(string Name, string Alias)
{
    internal ModelAlias(JsonObject o) : this(Text(o, "name"), Text(o, "alias"))
    {
    }
}

/// <summary>
/// One entry of an upstream key list (<c>gemini-api-key</c>, <c>claude-api-key</c>, <c>codex-api-key</c>,
/// <c>vertex-api-key</c>): the key the proxy sends upstream and how to reach the upstream with it.
/// Values are as loaded (trimmed and normalised by the list's rules); absent fields are empty or 0.
/// </summary>
public abstract record ProviderKey
{
    private protected ProviderKey(JsonObject o)
    {
        ApiKey = Text(o, "api-key");
        Priority = Int(o, "priority");
        Prefix = Text(o, "prefix");
        BaseUrl = Text(o, "base-url");
        ProxyUrl = Text(o, "proxy-url");
        Models = Objects(o, "models", m => new ModelAlias(m));
        Headers = StringMap(o, "headers");
        ExcludedModels = Strings(o, "excluded-models");
    }

    /// <summary><c>api-key</c>: the upstream key.</summary>
    public string ApiKey { get; init; }

    /// <summary><c>priority</c>: entries with a higher value are preferred (0 when absent).</summary>
    public long Priority { get; init; }

    /// <summary><c>prefix</c>: the model prefix that selects this entry (<c>prefix/model</c>), or <c>""</c>.</summary>
    public string Prefix { get; init; }

    /// <summary><c>base-url</c>: the upstream's base URL, or <c>""</c> for the provider's default.</summary>
    public string BaseUrl { get; init; }

    /// <summary><c>proxy-url</c>: the outbound proxy of this entry, or <c>""</c> for the global <c>proxy-url</c>.</summary>
    public string ProxyUrl { get; init; }

    /// <summary><c>models</c>: the models offered, with their aliases, in file order.</summary>
    public ImmutableArray<ModelAlias> Models { get; init; }

    /// <summary><c>headers</c>: extra request headers sent upstream.</summary>
    public FrozenDictionary<string, string> Headers { get; init; }

    /// <summary><c>excluded-models</c>: model patterns (lower-case, <c>*</c> wildcards) this entry does not serve.</summary>
    public ImmutableArray<string> ExcludedModels { get; init; }
}

/// <summary>An entry of <c>gemini-api-key</c>.</summary>
public sealed record GeminiKey : ProviderKey
{
    internal GeminiKey(JsonObject o) : base(o)
    {
    }
}

/// <summary>An entry of <c>vertex-api-key</c> (a Vertex-compatible upstream; it has no <c>excluded-models</c>).</summary>
public sealed record VertexKey : ProviderKey
{
    internal VertexKey(JsonObject o) : base(o)
    {
    }
}

/// <summary>An entry of <c>codex-api-key</c>.</summary>
public sealed record CodexKey : ProviderKey
{
    internal CodexKey(JsonObject o) : base(o) => Websockets = Bool(o, "websockets");

    /// <summary><c>websockets</c>: talk to the upstream over WebSockets.</summary>
    public bool Websockets { get; init; }
}

/// <summary>An entry of <c>claude-api-key</c>.</summary>
public sealed record ClaudeKey : ProviderKey
{
    internal ClaudeKey(JsonObject o) : base(o) => Cloak = Section(o, "cloak") is { } c ? new CloakSettings(c) : null;

    /// <summary><c>cloak</c>: how requests are disguised as the official client, or null when not set.</summary>
    public CloakSettings? Cloak { get; init; }
}

/// <summary><c>claude-api-key[].cloak</c>.</summary>
/// <param name="Mode"><c>mode</c>: <c>auto</c>, <c>always</c>, <c>never</c>, or <c>""</c>.</param>
/// <param name="StrictMode"><c>strict-mode</c>.</param>
/// <param name="SensitiveWords"><c>sensitive-words</c>.</param>
/// <param name="CacheUserId"><c>cache-user-id</c>: null when not set.</param>
public sealed record CloakSettings(string Mode, bool StrictMode, ImmutableArray<string> SensitiveWords, bool? CacheUserId)
{
    internal CloakSettings(JsonObject o) : this(Text(o, "mode"), Bool(o, "strict-mode"), Strings(o, "sensitive-words"), OptionalBool(o, "cache-user-id"))
    {
    }
}

/// <summary>An entry of <c>openai-compatibility</c>: an OpenAI-compatible upstream with its own keys.</summary>
public sealed record OpenAICompatibilityProvider
{
    internal OpenAICompatibilityProvider(JsonObject o)
    {
        Name = Text(o, "name");
        Priority = Int(o, "priority");
        Prefix = Text(o, "prefix");
        BaseUrl = Text(o, "base-url");
        ApiKeyEntries = Objects(o, "api-key-entries", e => new OpenAICompatibilityKey(Text(e, "api-key"), Text(e, "proxy-url")));
        Models = Objects(o, "models", m => new ModelAlias(m));
        Headers = StringMap(o, "headers");
    }

    /// <summary><c>name</c>: the provider's name (its identity in the list).</summary>
    public string Name { get; init; }

    /// <summary><c>priority</c>: providers with a higher value are preferred (0 when absent).</summary>
    public long Priority { get; init; }

    /// <summary><c>prefix</c>: the model prefix that selects this provider, or <c>""</c>.</summary>
    public string Prefix { get; init; }

    /// <summary><c>base-url</c>: the upstream's base URL.</summary>
    public string BaseUrl { get; init; }

    /// <summary><c>api-key-entries</c>: the upstream keys, each with its own outbound proxy.</summary>
    public ImmutableArray<OpenAICompatibilityKey> ApiKeyEntries { get; init; }

    /// <summary><c>models</c>: the models offered, with their aliases.</summary>
    public ImmutableArray<ModelAlias> Models { get; init; }

    /// <summary><c>headers</c>: extra request headers sent upstream.</summary>
    public FrozenDictionary<string, string> Headers { get; init; }
}

/// <summary><c>openai-compatibility[].api-key-entries[]</c>.</summary>
/// <param name="ApiKey"><c>api-key</c>.</param>
/// <param name="ProxyUrl"><c>proxy-url</c>, or <c>""</c>.</param>
public sealed record OpenAICompatibilityKey(string ApiKey, string ProxyUrl);
