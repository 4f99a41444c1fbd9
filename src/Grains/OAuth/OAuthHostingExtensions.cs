using CliProxy.Domain.OAuth;
using CliProxy.Domain.Outbound;
using Microsoft.Extensions.Configuration;
using CliProxy.Grains.OAuth.Flows;
using CliProxy.Grains.OAuth.Http;
using CliProxy.Grains.OAuth.Refresh;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CliProxy.Grains.OAuth;

/// <summary>Silo services of the logins: settings, outbound clients and the provider flows.</summary>
public static class OAuthHostingExtensions
{
    /// <summary>
    /// Registers <see cref="OAuthSettings"/> (from the silo's configuration section <c>OAuth</c>, unless
    /// registered already), the outbound clients (the shared <see cref="OutboundHttp"/>, added when the host has not), every built-in flow, the <see cref="OAuthFlowRegistry"/> and the <see cref="CredentialRefresher"/> of the credential grains.
    /// More flows are added as <see cref="IOAuthFlow"/> singletons.
    /// </summary>
    public static ISiloBuilder AddOAuthLogins(this ISiloBuilder silo)
    {
        var configuration = silo.Configuration;
        silo.Services.TryAddSingleton(_ => OAuthSettings.Read(key => configuration[key]));
        if (!silo.Services.Any(d => d.ServiceType == typeof(OutboundHttp)))
            silo.Services.AddOutboundHttp(configuration.GetSection(OutboundHttpOptions.Section).Get<OutboundHttpOptions>());
        silo.Services.TryAddSingleton<OAuthHttpClients>();
        silo.Services.AddSingleton<IOAuthFlow, AnthropicFlow>();
        silo.Services.AddSingleton<IOAuthFlow, CodexFlow>();
        silo.Services.AddSingleton<IOAuthFlow, GeminiCliFlow>();
        silo.Services.AddSingleton<IOAuthFlow, AntigravityFlow>();
        silo.Services.AddSingleton<IOAuthFlow, IFlowFlow>();
        silo.Services.AddSingleton<IOAuthFlow, QwenFlow>();
        silo.Services.AddSingleton<IOAuthFlow, KimiFlow>();
        silo.Services.TryAddSingleton<OAuthFlowRegistry>();
        silo.Services.TryAddSingleton<CredentialRefresher>();
        return silo;
    }
}
