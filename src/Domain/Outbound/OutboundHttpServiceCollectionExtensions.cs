using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CliProxy.Domain.Outbound;

/// <summary>Registration of <see cref="OutboundHttp"/> in a host (gateway or silo).</summary>
public static class OutboundHttpServiceCollectionExtensions
{
    /// <summary>
    /// Adds <see cref="IHttpClientFactory"/> and <see cref="OutboundHttp"/> with <paramref name="options"/>
    /// (defaults when null). The factory's per-request log lines (category <c>System.Net.Http.HttpClient</c>,
    /// level Information) are filtered to warnings: a proxy must not log every request it forwards.
    /// </summary>
    public static IServiceCollection AddOutboundHttp(this IServiceCollection services, OutboundHttpOptions? options = null)
    {
        services.AddHttpClient();
        services.AddLogging(logging => logging.AddFilter("System.Net.Http.HttpClient", LogLevel.Warning));
        services.TryAddSingleton(sp => new OutboundClients(options ?? new OutboundHttpOptions(), sp.GetRequiredService<ILogger<OutboundHttp>>()));
        services.AddSingleton<IConfigureOptions<HttpClientFactoryOptions>>(sp => sp.GetRequiredService<OutboundClients>());
        services.TryAddSingleton(sp => new OutboundHttp(sp.GetRequiredService<IHttpClientFactory>(), sp.GetRequiredService<OutboundClients>()));
        return services;
    }
}
