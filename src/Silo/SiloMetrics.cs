using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace CliProxy.Silo;

/// <summary>
/// The silo host's opt-in metrics: with <c>Metrics:SiloPort</c> set, an HTTP listener on that port
/// (<c>Metrics:SiloHost</c>, default <c>*</c> = every interface) answers <c>GET /metrics</c> in Prometheus text
/// format with Orleans' meter (<c>Microsoft.Orleans</c>), Npgsql's, outbound HTTP and the .NET runtime. A silo
/// process has no management key (the config lives in its grains, read by gateways), so the listener has no access
/// control: open its port to the scraper only. Off by default.
/// </summary>
public static class SiloMetrics
{
    /// <summary>The setting that turns the listener on.</summary>
    public const string PortKey = "Metrics:SiloPort";

    /// <summary>The listener's host name (<c>*</c>, <c>localhost</c> or an address).</summary>
    public const string HostKey = "Metrics:SiloHost";

    /// <summary>The meters exported.</summary>
    public static readonly IReadOnlyList<string> Meters = ["Microsoft.Orleans", "Npgsql", "System.Net.Http", "System.Runtime"];

    /// <summary>Adds the listener when <see cref="PortKey"/> is set to a port; returns whether it did.</summary>
    public static bool AddSiloMetrics(this IHostApplicationBuilder builder)
    {
        var port = builder.Configuration.GetValue<int?>(PortKey) ?? 0;
        if (port <= 0) return false;
        var host = builder.Configuration[HostKey] is { Length: > 0 } h ? h : "*";
        builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("cliproxy-silo"))
            .WithMetrics(metrics => metrics.AddMeter([.. Meters]).AddPrometheusHttpListener(o =>
            {
                o.Host = host;
                o.Port = port;
                o.ScrapeResponseCacheDurationMilliseconds = 0;
            }));
        return true;
    }
}
