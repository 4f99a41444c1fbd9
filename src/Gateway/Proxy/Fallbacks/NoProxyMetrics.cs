using CliProxy.Domain.Usage;
using CliProxy.Gateway.Metrics;

namespace CliProxy.Gateway.Proxy.Fallbacks;

/// <summary>
/// Stand-in <see cref="IProxyMetrics"/> until the OpenTelemetry instruments are registered (issue 12, its own branch):
/// measures nothing. Registered only when no implementation is (<c>TryAdd</c>).
/// </summary>
public sealed class NoProxyMetrics : IProxyMetrics
{
    /// <inheritdoc />
    public void RequestCompleted(string route, string model, string clientKey, int status, TimeSpan elapsed)
    {
    }

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
