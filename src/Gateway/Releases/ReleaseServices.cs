using CliProxy.Domain.Outbound;
using CliProxy.Gateway.Endpoints;

namespace CliProxy.Gateway.Releases;

/// <summary>Registration of <see cref="LatestReleaseCache"/>.</summary>
public static class ReleaseServices
{
    /// <summary>Adds the release feed (<c>Outbound:LatestReleaseUrl</c>) and its cache (<c>Outbound:LatestReleaseCache</c>).</summary>
    public static IServiceCollection AddLatestRelease(this IServiceCollection services, IConfiguration settings)
    {
        var feed = new ReleaseFeed(settings[LatestVersionEndpoints.ReleaseUrlKey] ?? LatestVersionEndpoints.DefaultReleaseUrl);
        var keep = settings.GetValue(LatestVersionEndpoints.CacheKey, LatestReleaseCache.DefaultSuccessFor);
        services.AddSingleton(sp => new LatestReleaseCache(sp.GetRequiredService<OutboundHttp>(), feed, sp.GetRequiredService<TimeProvider>(), keep));
        return services;
    }
}
