using System.Diagnostics;
using System.Diagnostics.Metrics;
using CliProxy.Domain.Usage;

namespace CliProxy.Gateway.Metrics;

/// <summary>
/// <see cref="IProxyMetrics"/> on the meter <see cref="MeterName"/> (names as exported at <c>/metrics</c>):
/// <list type="bullet">
/// <item><c>cliproxy_proxy_requests_total{route,model,client,status}</c> and the histogram
/// <c>cliproxy_proxy_request_duration_seconds{route,model,client,status}</c>;</item>
/// <item><c>cliproxy_proxy_upstream_attempts_total{provider,model,auth_index,status}</c>, the histograms
/// <c>cliproxy_proxy_upstream_attempt_duration_seconds</c> and
/// <c>cliproxy_proxy_upstream_time_to_first_byte_seconds</c> (same labels; only attempts that received a byte);</item>
/// <item><c>cliproxy_proxy_tokens_total{provider,model,auth_index,client,kind}</c>, <c>kind</c> in
/// <c>input</c>, <c>output</c>, <c>reasoning</c>, <c>cached</c> (a kind with 0 tokens adds nothing);</item>
/// <item><c>cliproxy_proxy_cooldowns_total{provider,model,auth_index,status}</c> and the histogram
/// <c>cliproxy_proxy_cooldown_duration_seconds</c> (same labels).</item>
/// </list>
/// <c>client</c> is <see cref="ClientKeyLabel"/> (never the key); a request answered 401 (its key was not
/// accepted) is labelled <see cref="Unauthorized"/> whatever key it presented. Cardinality is bounded per label by
/// <see cref="LabelLimiter"/> (<see cref="MaxRoutes"/> routes, <see cref="MaxModels"/> models,
/// <see cref="MaxClients"/> client keys, <see cref="MaxProviders"/> providers, <see cref="MaxCredentials"/>
/// credentials; further values become <c>other</c>) and per instrument by the SDK's cardinality limit
/// (<see cref="MetricsServices"/>).
/// </summary>
public sealed class ProxyMetrics : IProxyMetrics
{
    /// <summary>The meter's name.</summary>
    public const string MeterName = "CliProxy.Proxy";

    /// <summary>The <c>client</c> label of a request whose key was not accepted (status 401).</summary>
    public const string Unauthorized = "unauthorized";

    /// <summary>Distinct values kept per label.</summary>
    public const int MaxRoutes = 64, MaxModels = 256, MaxClients = 256, MaxProviders = 64, MaxCredentials = 1024;

    /// <summary>Bucket boundaries (seconds) of the latency histograms: 5 ms to 10 minutes, for answers from a cached reply to a long generation.</summary>
    public static readonly IReadOnlyList<double> LatencyBuckets =
        [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300, 600];

    /// <summary>Bucket boundaries (seconds) of the cooldown histogram: 1 second to a day.</summary>
    public static readonly IReadOnlyList<double> CooldownBuckets =
        [1, 5, 10, 30, 60, 300, 600, 1800, 3600, 10800, 21600, 86400];

    // The status label boxed once per code (a TagList value is an object): no box per measurement.
    private static readonly object[] BoxedStatuses = [.. Enumerable.Range(0, 600).Select(static code => (object)code)];

    private readonly LabelLimiter _routes = new(MaxRoutes);
    private readonly LabelLimiter _models = new(MaxModels);
    private readonly LabelLimiter _clients = new(MaxClients, ClientKeyLabel.Of);
    private readonly LabelLimiter _providers = new(MaxProviders);
    private readonly LabelLimiter _credentials = new(MaxCredentials);

    private readonly Counter<long> _requests;
    private readonly Histogram<double> _requestDuration;
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _attemptDuration;
    private readonly Histogram<double> _timeToFirstByte;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _cooldowns;
    private readonly Histogram<double> _cooldownDuration;

    /// <summary>Creates the instruments on a meter of <paramref name="meters"/>.</summary>
    public ProxyMetrics(IMeterFactory meters)
    {
        var meter = meters.Create(MeterName);
        var latency = new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets };
        _requests = meter.CreateCounter<long>("cliproxy.proxy.requests", "{request}", "Client requests answered by the proxy.");
        _requestDuration = meter.CreateHistogram("cliproxy.proxy.request.duration", "s", "Duration of client requests, to the end of the answer.", advice: latency);
        _attempts = meter.CreateCounter<long>("cliproxy.proxy.upstream.attempts", "{attempt}", "Upstream attempts by status (0: no answer).");
        _attemptDuration = meter.CreateHistogram("cliproxy.proxy.upstream.attempt.duration", "s", "Duration of upstream attempts, to the end of the answer.", advice: latency);
        _timeToFirstByte = meter.CreateHistogram("cliproxy.proxy.upstream.time_to_first_byte", "s", "Time from sending an upstream attempt to its first response byte.", advice: latency);
        _tokens = meter.CreateCounter<long>("cliproxy.proxy.tokens", "{token}", "Tokens of upstream attempts by kind.");
        _cooldowns = meter.CreateCounter<long>("cliproxy.proxy.cooldowns", "{cooldown}", "Cooldowns of a credential for a model.");
        _cooldownDuration = meter.CreateHistogram("cliproxy.proxy.cooldown.duration", "s", "Length of cooldowns.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CooldownBuckets });
    }

    /// <inheritdoc />
    public void RequestCompleted(string route, string model, string clientKey, int status, TimeSpan elapsed)
    {
        var client = status == 401 ? Unauthorized : _clients.Label(clientKey);
        var tags = new TagList { { "route", _routes.Label(route) }, { "model", _models.Label(model) }, { "client", client }, { "status", Boxed(status) } };
        _requests.Add(1, tags);
        _requestDuration.Record(Seconds(elapsed), tags);
    }

    /// <inheritdoc />
    public void AttemptCompleted(string provider, string model, string authIndex, int upstreamStatus, TimeSpan elapsed, TimeSpan? timeToFirstByte)
    {
        var tags = Credential(provider, model, authIndex);
        tags.Add("status", Boxed(upstreamStatus));
        _attempts.Add(1, tags);
        _attemptDuration.Record(Seconds(elapsed), tags);
        if (timeToFirstByte is { } ttfb) _timeToFirstByte.Record(Seconds(ttfb), tags);
    }

    /// <inheritdoc />
    public void TokensCounted(string provider, string model, string authIndex, string clientKey, UsageTokens tokens)
    {
        var tags = Credential(provider, model, authIndex);
        tags.Add("client", _clients.Label(clientKey));
        Add(tags, "input", tokens.Input);
        Add(tags, "output", tokens.Output);
        Add(tags, "reasoning", tokens.Reasoning);
        Add(tags, "cached", tokens.Cached);
    }

    /// <inheritdoc />
    public void CooldownStarted(string provider, string model, string authIndex, int status, TimeSpan duration)
    {
        var tags = Credential(provider, model, authIndex);
        tags.Add("status", Boxed(status));
        _cooldowns.Add(1, tags);
        _cooldownDuration.Record(Seconds(duration), tags);
    }

    private TagList Credential(string provider, string model, string authIndex) =>
        new() { { "provider", _providers.Label(provider) }, { "model", _models.Label(model) }, { "auth_index", _credentials.Label(authIndex) } };

    // tags is a copy: each kind adds its label to the four shared ones.
    private void Add(TagList tags, string kind, long count)
    {
        if (count <= 0) return;
        tags.Add("kind", kind);
        _tokens.Add(count, tags);
    }

    private static object Boxed(int status) => (uint)status < (uint)BoxedStatuses.Length ? BoxedStatuses[status] : status;

    private static double Seconds(TimeSpan span) => Math.Max(0, span.TotalSeconds);
}
