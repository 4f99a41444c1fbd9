using CliProxy.Gateway.Hosting;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace CliProxy.Gateway.Metrics;

/// <summary>
/// Registration of the gateway's metrics (OpenTelemetry, exported in Prometheus text format at
/// <see cref="MetricsSettings.Path"/>): the proxy's and the management plane's meters, ASP.NET Core's
/// (<c>http_server_request_duration_seconds</c> by route template, Kestrel's connections), the .NET
/// runtime, and Orleans' (<c>Microsoft.Orleans</c>: the co-hosted silo's in the embedded and cohost modes, the
/// client's in the client mode).
/// </summary>
public static class MetricsServices
{
    /// <summary>
    /// Meters exported besides the gateway's own (more through <see cref="MetricsSettings.ExtraMeters"/>). Not by default:
    /// <c>System.Net.Http</c> and <c>Microsoft.AspNetCore.Routing</c>, which measure every proxied request once more
    /// (about 2 % of the proxy's CPU) and say nothing the proxy's and hosting's meters do not.
    /// </summary>
    public static readonly IReadOnlyList<string> PlatformMeters =
    [
        "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Diagnostics", "System.Runtime", "Microsoft.Orleans",
    ];

    /// <summary>Series kept per instrument of the proxy's meter (the SDK's default is 2000; later series go to one overflow series).</summary>
    public const int ProxyCardinalityLimit = 10_000;

    /// <summary>
    /// Registers <see cref="IProxyMetrics"/> (always: with metrics off its instruments have no listener and cost
    /// next to nothing) and, when <c>Metrics:Enabled</c>, OpenTelemetry with the Prometheus exporter.
    /// </summary>
    public static IServiceCollection AddGatewayMetrics(this IServiceCollection services, IConfiguration configuration, BuildInfo build)
    {
        var settings = MetricsSettings.From(configuration);
        services.AddSingleton(settings);
        services.AddMetrics();
        services.AddSingleton<ProxyMetrics>();
        services.AddSingleton<IProxyMetrics>(sp => sp.GetRequiredService<ProxyMetrics>());
        if (!settings.Enabled) return services;
        services.AddSingleton<ManagementMetrics>();
        services.AddSingleton<MetricsAccess>();
        services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("cliproxy-gateway", serviceVersion: build.Version))
            .WithMetrics(metrics => metrics
                .AddMeter(ProxyMetrics.MeterName, ManagementMetrics.MeterName)
                .AddMeter([.. PlatformMeters, .. settings.ExtraMeters])
                .AddView(i => i.Meter.Name == ProxyMetrics.MeterName ? new MetricStreamConfiguration { CardinalityLimit = ProxyCardinalityLimit } : null)
                .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)); // every scrape sees the latest values
        return services;
    }

    /// <summary>Maps <c>GET /metrics</c> (when enabled), behind <see cref="MetricsAccess"/> unless <c>Metrics:Public</c>.</summary>
    public static WebApplication MapGatewayMetrics(this WebApplication app)
    {
        var settings = app.Services.GetRequiredService<MetricsSettings>();
        if (!settings.Enabled) return app;
        app.Services.GetRequiredService<ManagementMetrics>(); // creates its observable instruments
        var access = app.Services.GetRequiredService<MetricsAccess>();
        app.MapPrometheusScrapingEndpoint(MetricsSettings.Path, meterProvider: null,
            configureBranchedPipeline: settings.Public ? null : branch => branch.Use(access.InvokeAsync), optionsName: null);
        return app;
    }
}
