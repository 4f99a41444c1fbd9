using CliProxy.Domain.OAuth;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CliProxy.Gateway.Logins;

/// <summary>Registration of the gateway's part of the logins.</summary>
public static class LoginServices
{
    /// <summary>
    /// Registers <see cref="CallbackForwarders"/> (a hosted service: its checks stop idle forwarders, its stop
    /// closes them all) and the <see cref="OAuthSettings"/> it reads (section <c>OAuth</c>, shared with a co-hosted silo).
    /// </summary>
    public static IServiceCollection AddCallbackForwarders(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(_ => OAuthSettings.Read(key => configuration[key]));
        services.TryAddSingleton<ILoginProbe, SessionGrainProbe>();
        services.AddSingleton<CallbackForwarders>();
        services.AddHostedService(sp => sp.GetRequiredService<CallbackForwarders>());
        return services;
    }
}
