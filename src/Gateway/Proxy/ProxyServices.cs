using CliProxy.Domain.Proxy.Routing;
using CliProxy.Gateway.Proxy.Access;
using CliProxy.Gateway.Proxy.Activity;
using CliProxy.Gateway.Proxy.Catalogue;
using CliProxy.Gateway.Proxy.Endpoints;
using CliProxy.Gateway.Proxy.Forwarding;
using CliProxy.Gateway.Proxy.Routing;

namespace CliProxy.Gateway.Proxy;

/// <summary>Registration of the data-plane proxy (issue 12).</summary>
public static class ProxyServices
{
    /// <summary>
    /// Adds the proxy's services: YARP's forwarder, the invokers, the catalogue, the picker (one cursor table per node),
    /// the conductor, the attempt runner and the node's counter of attempts per credential (sent to the cluster's grain once a second). Executors are every registered <c>IUpstreamExecutor</c>; the cooldown board
    /// is <c>AddCooldownBoard</c>'s, the metrics <c>AddGatewayMetrics</c>'.
    /// </summary>
    public static IServiceCollection AddProxy(this IServiceCollection services)
    {
        services.AddHttpForwarder();
        services.AddSingleton<UpstreamInvokers>();
        services.AddSingleton<CatalogueSource>();
        services.AddSingleton<ClientKeyFilter>();
        services.AddSingleton<CredentialPicker>();
        services.AddSingleton<AttemptRunner>();
        services.AddSingleton<CredentialActivityRecorder>();
        services.AddHostedService(sp => sp.GetRequiredService<CredentialActivityRecorder>());
        services.AddSingleton<ProxyConductor>();
        services.AddSingleton<ProxyCalls>();
        return services;
    }
}
