using CliProxy.Domain.Usage;

namespace CliProxy.Gateway.Metrics;

/// <summary>
/// The proxy's measurements (OpenTelemetry instruments, exported at <c>/metrics</c>). Every method is cheap and
/// never throws. Labels: <c>provider</c>, <c>model</c> (upstream model), <c>auth_index</c> (credential), and
/// <c>client</c>: a label of the client key that never reveals it (see the implementation).
/// </summary>
public interface IProxyMetrics
{
    /// <summary>One client request ended (any route under /v1 or /v1beta) with <paramref name="status"/> after <paramref name="elapsed"/>.</summary>
    void RequestCompleted(string route, string model, string clientKey, int status, TimeSpan elapsed);

    /// <summary>One upstream attempt ended. <paramref name="timeToFirstByte"/> is null when no byte came.</summary>
    void AttemptCompleted(string provider, string model, string authIndex, int upstreamStatus, TimeSpan elapsed, TimeSpan? timeToFirstByte);

    /// <summary>Tokens of one attempt (after normalisation).</summary>
    void TokensCounted(string provider, string model, string authIndex, string clientKey, UsageTokens tokens);

    /// <summary>A credential was cooled for a model for <paramref name="duration"/> after <paramref name="status"/>.</summary>
    void CooldownStarted(string provider, string model, string authIndex, int status, TimeSpan duration);
}
