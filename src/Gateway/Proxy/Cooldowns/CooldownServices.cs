using CliProxy.Domain.Proxy.Cooldowns;
using CliProxy.Gateway.Mirrors;

namespace CliProxy.Gateway.Proxy.Cooldowns;

/// <summary>Registration of the cluster-wide cooldowns on a gateway node.</summary>
public static class CooldownServices
{
    /// <summary>
    /// Registers the node's copy of the cooldown board (<see cref="CooldownMirror"/>, a grain state mirror:
    /// hosted, invalidated when the cluster connection changes) and <see cref="ClusterCooldownBoard"/> as
    /// <see cref="ICooldownBoard"/> and <see cref="ICooldownView"/> (singletons). Needs an
    /// <see cref="IGrainFactory"/> and a <see cref="TimeProvider"/>.
    /// </summary>
    public static IServiceCollection AddCooldownBoard(this IServiceCollection services)
    {
        services.AddGrainStateMirror<CooldownMirror>();
        services.AddSingleton<ClusterCooldownBoard>();
        services.AddSingleton<ICooldownBoard>(sp => sp.GetRequiredService<ClusterCooldownBoard>());
        services.AddSingleton<ICooldownView>(sp => sp.GetRequiredService<ClusterCooldownBoard>());
        return services;
    }
}
