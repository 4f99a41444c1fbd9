using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Domain.Usage;
using CliProxy.Gateway.Usage;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>
/// A test executor for OpenAI Chat credentials (config keys and Qwen-style auth files) and OpenAI Chat clients: bearer key,
/// model written into the body, <c>/chat/completions</c> under the base URL (<paramref name="defaultBaseUrl"/> for auth files).
/// </summary>
public sealed partial class TestOpenAIChatExecutor(string defaultBaseUrl) : IUpstreamExecutor
{
    /// <inheritdoc />
    public bool Serves(UpstreamCredential credential, ClientProtocol client) =>
        credential.Protocol == UpstreamProtocol.OpenAIChat && client == ClientProtocol.OpenAIChat;

    /// <inheritdoc />
    public UpstreamRequest Build(UpstreamCredential credential, string secret, ClientCall call, string upstreamModel)
    {
        var body = JsonNode.Parse(call.Body.Span)!.AsObject();
        body["model"] = upstreamModel;
        var headers = new List<KeyValuePair<string, string>>(credential.Headers) { new("Authorization", "Bearer " + secret) };
        return new UpstreamRequest(new Uri((credential.BaseUrl.Length > 0 ? credential.BaseUrl : defaultBaseUrl).TrimEnd('/') + "/chat/completions" + call.Query), headers,
            call.BodyRules(Encoding.UTF8.GetBytes(body.ToJsonString())));
    }

    /// <inheritdoc />
    public IUsageScanner NewUsageScanner(UpstreamCredential credential, bool stream) => new Scanner();

    private sealed partial class Scanner : IUsageScanner
    {
        private readonly StringBuilder _seen = new();

        public UsageTokens? Tokens => Usage().Match(_seen.ToString()) is { Success: true } m
            ? new UsageTokens(long.Parse(m.Groups[1].Value), long.Parse(m.Groups[2].Value), 0, 0, long.Parse(m.Groups[3].Value))
            : null;

        public void Feed(ReadOnlySpan<byte> chunk) => _seen.Append(Encoding.UTF8.GetString(chunk));

        [GeneratedRegex("\"prompt_tokens\":(\\d+),\"completion_tokens\":(\\d+),\"total_tokens\":(\\d+)")]
        private static partial Regex Usage();
    }
}

/// <summary>A test <see cref="IUsageRecorder"/> that keeps every record.</summary>
public sealed class RecordingUsage : IUsageRecorder
{
    /// <summary>Records, in order.</summary>
    public ConcurrentQueue<UsageRecord> Records { get; } = new();

    /// <inheritdoc />
    public UsageRecorderCounters Counters => new(Records.Count, 0, 0, 0, 0, 0, 0);

    /// <inheritdoc />
    public UsageTimestamp Now() => UsageTimestamp.From(DateTimeOffset.UtcNow, TimeZoneInfo.Utc);

    /// <inheritdoc />
    public UsageRecordOutcome Record(UsageRecord record)
    {
        Records.Enqueue(record);
        return UsageRecordOutcome.Buffered;
    }
}

/// <summary>Keeps the requests the proxy reports to its metrics (route, client key, status); the other measurements are dropped.</summary>
public sealed class RecordingProxyMetrics : CliProxy.Gateway.Metrics.IProxyMetrics
{
    /// <summary>Requests reported so far.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<(string Route, string Model, string ClientKey, int Status)> Requests { get; } = new();

    /// <inheritdoc />
    public void RequestCompleted(string route, string model, string clientKey, int status, TimeSpan elapsed) => Requests.Enqueue((route, model, clientKey, status));

    /// <inheritdoc />
    public void AttemptCompleted(string provider, string model, string authIndex, int upstreamStatus, TimeSpan elapsed, TimeSpan? timeToFirstByte)
    {
    }

    /// <inheritdoc />
    public void TokensCounted(string provider, string model, string authIndex, string clientKey, UsageTokens tokens)
    {
    }

    /// <inheritdoc />
    public void CooldownStarted(string provider, string model, string authIndex, int status, TimeSpan duration)
    {
    }
}
