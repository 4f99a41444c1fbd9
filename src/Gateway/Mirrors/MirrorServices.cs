namespace CliProxy.Gateway.Mirrors;

/// <summary>Registration of the node's grain state mirrors.</summary>
public static class MirrorServices
{
    /// <summary>
    /// Registers <typeparamref name="TMirror"/> as a singleton, as a hosted service (its passes) and
    /// as an <see cref="IGrainStateMirror"/> (so a change of the cluster connection invalidates it).
    /// </summary>
    public static IServiceCollection AddGrainStateMirror<TMirror>(this IServiceCollection services)
        where TMirror : class, IGrainStateMirror, IHostedService
    {
        services.AddSingleton<TMirror>();
        services.AddSingleton<IGrainStateMirror>(sp => sp.GetRequiredService<TMirror>());
        services.AddHostedService(sp => sp.GetRequiredService<TMirror>());
        return services;
    }
}
