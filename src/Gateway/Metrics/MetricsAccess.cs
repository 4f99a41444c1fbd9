using CliProxy.Gateway.Management;

namespace CliProxy.Gateway.Metrics;

/// <summary>
/// Puts <c>/metrics</c> behind the management API's access rules: the very <see cref="ManagementAccessFilter"/>
/// of the <c>/v0/management</c> group (availability, bans, remote access, the key), run as middleware in front of
/// the Prometheus exporter, which is not a route handler an endpoint filter could wrap.
/// </summary>
public sealed class MetricsAccess(ManagementAccessFilter filter)
{
    private static readonly object Accepted = new();

    /// <summary>Runs <paramref name="next"/> when the filter accepts the request, else writes the filter's answer.</summary>
    public async Task InvokeAsync(HttpContext http, RequestDelegate next)
    {
        var result = await filter.InvokeAsync(new DefaultEndpointFilterInvocationContext(http), _ => ValueTask.FromResult<object?>(Accepted));
        if (ReferenceEquals(result, Accepted)) await next(http);
        else if (result is IResult refusal) await refusal.ExecuteAsync(http);
    }
}
