using CliProxy.Domain.Usage;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// One provider's rules for an attempt (the reference's executors, <c>internal/runtime/executor</c>):
/// which upstream URL, which headers, how the body changes, and how usage is read from the answer.
/// Pure: no I/O, so the gateway's forwarder does the sending (one body copy) and tests check rules
/// without a network.
/// </summary>
public interface IUpstreamExecutor
{
    /// <summary>Whether this executor serves <paramref name="client"/> requests for <paramref name="credential"/>
    /// (same protocol, no translation needed). False: the proxy answers a clear "translation from X to Y is not
    /// supported yet" error, never a crash.</summary>
    bool Serves(UpstreamCredential credential, ClientProtocol client);

    /// <summary>
    /// The upstream request of one attempt. <paramref name="secret"/> is the API key or the access token;
    /// <paramref name="upstreamModel"/> is the model after prefix stripping and alias mapping (spec §5.3 step 6),
    /// written into the body (or the path, for Gemini). The body passes <see cref="ClientCall.BodyRules"/> (the config's
    /// payload rules) once, where the provider's reference executor applies them.
    /// </summary>
    UpstreamRequest Build(UpstreamCredential credential, string secret, ClientCall call, string upstreamModel);

    /// <summary>A fresh reader of usage for one attempt's response (spec usage §1.4): fed the raw bytes as they pass.</summary>
    IUsageScanner NewUsageScanner(UpstreamCredential credential, bool stream);
}

/// <summary>The client's request as the proxy received it.</summary>
/// <param name="Protocol">The client-facing API.</param>
/// <param name="Body">The request body (JSON), read once.</param>
/// <param name="Stream">Whether the client asked for a stream (<c>"stream": true</c>, or <c>:streamGenerateContent</c>).</param>
/// <param name="Query">The client's query string (e.g. <c>?alt=sse</c>), without client-auth parameters.</param>
public sealed record ClientCall(ClientProtocol Protocol, ReadOnlyMemory<byte> Body, bool Stream, string Query)
{
    /// <summary>
    /// The client's request headers that some upstreams merge with their own (<c>anthropic-beta</c>,
    /// <c>anthropic-version</c>, Codex's <c>originator</c>/<c>version</c>, <c>user-agent</c>); empty when unknown.
    /// Client authentication headers need not be removed: executors read only the names they merge.
    /// </summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    /// <summary>
    /// The config's <c>payload</c> rules for this attempt (<see cref="PayloadRules"/>), which each executor applies to its
    /// upstream body where the reference's executor does: after the model is set (and, for Claude, after cloaking),
    /// before the executor's own last rules (Claude's body <c>betas</c>, Codex's forced fields). None by default.
    /// </summary>
    public Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> BodyRules { get; init; } = NoRules;

    /// <summary>No payload rules: the body as it is.</summary>
    public static readonly Func<ReadOnlyMemory<byte>, ReadOnlyMemory<byte>> NoRules = static body => body;
}

/// <summary>What the forwarder sends upstream for one attempt.</summary>
/// <param name="Url">Absolute upstream URL.</param>
/// <param name="Headers">Headers to set (auth header included); hop-by-hop and client auth headers are never forwarded.</param>
/// <param name="Body">The request body to send.</param>
public sealed record UpstreamRequest(Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers, ReadOnlyMemory<byte> Body)
{
    /// <summary>
    /// True when the upstream answers with a stream although the client asked for none (the ChatGPT backend of
    /// Codex OAuth accepts only <c>"stream": true</c>): the proxy answers the client with the final response object
    /// that <see cref="Usage.ResponsesCompletedCollector"/> collects instead of passing the stream through.
    /// </summary>
    public bool CollectStream { get; init; }
}

/// <summary>Reads the usage of one response as its bytes pass (spec usage §1.4); never buffers the whole body of a stream.</summary>
public interface IUsageScanner
{
    /// <summary>Feeds the next bytes of the response body.</summary>
    void Feed(ReadOnlySpan<byte> chunk);

    /// <summary>The usage found so far (for streams: the final usage event's), or null when none.</summary>
    UsageTokens? Tokens { get; }
}
