using CliProxy.Abstractions.Credentials;
using CliProxy.Domain.Outbound;
using CliProxy.Gateway.Credentials;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CliProxy.Gateway.ApiCall;

/// <summary>Registration of <c>POST /api-call</c>'s services.</summary>
public static class ApiCallServices
{
    /// <summary>
    /// Adds <see cref="ApiCallService"/> and its parts; <paramref name="listenPort"/> is this gateway's port
    /// (<see cref="ApiCallTargets"/>). The token source is <see cref="AuthFileTokenSource"/> unless another
    /// <see cref="ICredentialTokenSource"/> was registered first.
    /// </summary>
    public static IServiceCollection AddApiCall(this IServiceCollection services, int listenPort)
    {
        services.TryAddSingleton<ICredentialTokenSource, AuthFileTokenSource>();
        services.AddSingleton(new ApiCallTargets(listenPort));
        services.AddSingleton(sp => new ApiCallSender(sp.GetRequiredService<OutboundHttp>(), sp.GetRequiredService<ApiCallTargets>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<ApiCallService>();
        return services;
    }
}
