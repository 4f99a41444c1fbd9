namespace CliProxy.Gateway.Mirrors;

/// <summary>Registration of the node's grain state mirrors.</summary>
public static class MirrorServices
{
    /// <summary>
    /// Registers <typeparamref name="TMirror"/> as a singleton, as a hosted service (its passes) and
    /// as an <see cref="IGrainStateMirror"/> (so a change of the cluster connection invalidates it).
    /// Only a <see cref="Hosting.PeriodicBackgroundService"/> is accepted: its loop logs a pass that
    /// fails and retries it on the next pass, so a mirror's fault never stops the host.
    /// </summary>
    public static IServiceCollection AddGrainStateMirror<TMirror>(this IServiceCollection services)
        where TMirror : Hosting.PeriodicBackgroundService, IGrainStateMirror
    {
        services.AddSingleton<TMirror>();
        services.AddSingleton<IGrainStateMirror>(sp => sp.GetRequiredService<TMirror>());
        services.AddHostedService(sp => sp.GetRequiredService<TMirror>());
        return services;
    }
}
