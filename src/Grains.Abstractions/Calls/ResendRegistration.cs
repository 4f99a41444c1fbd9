using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CliProxy.Abstractions.Calls;

/// <summary>Registers <see cref="ResendFilter"/> with a silo or a cluster client.</summary>
public static class ResendRegistration
{
    /// <summary>
    /// Adds <see cref="ResendFilter"/> to the outgoing grain-call filters of the silo or client whose
    /// services these are; registering twice adds it once.
    /// </summary>
    public static IServiceCollection AddGrainCallResends(this IServiceCollection services)
    {
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutgoingGrainCallFilter, ResendFilter>());
        return services;
    }
}
