using CliProxy.Abstractions.Calls;
using CliProxy.Domain.Config.Resources;
using CliProxy.Grains.AuthFiles;
using CliProxy.Grains.OAuth;
using CliProxy.Grains.Storage;
using CliProxy.Grains.Usage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Orleans.Runtime.Hosting;

namespace CliProxy.Grains.Hosting;

/// <summary>Silo configuration of the embedded mode's file storage.</summary>
public static class EmbeddedStorageExtensions
{
    /// <summary>
    /// Stores the config grain in <paramref name="configPath"/> (the config.yaml itself), each
    /// credential as its file in <paramref name="authDirectory"/>, all other grain state as JSON
    /// files below <paramref name="dataDirectory"/>, the reminders in one file there (durable, unlike Orleans' in-memory table),
    /// and usage statistics in <c>usage.db</c> there.
    /// </summary>
    public static ISiloBuilder AddEmbeddedStorage(this ISiloBuilder silo, string configPath, string authDirectory, string dataDirectory)
    {
        silo.Services.TryAddSingleton(new AtomicFileWriter());
        silo.Services.AddGrainStorage(StorageNames.Config, (sp, _) =>
            new ConfigFileStorage(configPath, sp.GetRequiredService<AtomicFileWriter>(), Path.Combine(dataDirectory, AppliedRequestsFileName)));
        silo.Services.AddGrainStorage(StorageNames.AuthFiles, (sp, _) => new AuthFileStorage(authDirectory, sp.GetRequiredService<AtomicFileWriter>()));
        silo.Services.AddSingleton<IAuthFileCatalog>(sp => new DirectoryAuthCatalog(authDirectory, sp.GetRequiredService<ILogger<DirectoryAuthCatalog>>()));
        silo.Services.AddGrainStorage(StorageNames.State, (sp, _) => new JsonFileGrainStorage(dataDirectory, sp.GetRequiredService<AtomicFileWriter>()));
        silo.Services.AddGrainStorage(StorageNames.OAuthSessions, (sp, _) => new JsonFileGrainStorage(dataDirectory, sp.GetRequiredService<AtomicFileWriter>()));
        silo.AddReminders();
        silo.Services.AddSingleton<IReminderTable>(sp => new FileReminderTable(Path.Combine(dataDirectory, RemindersFileName), sp.GetRequiredService<AtomicFileWriter>()));
        silo.AddEmbeddedUsageStore(dataDirectory);
        return silo;
    }

    /// <summary>Name of the file in the data folder that holds the config grain's applied <c>Idempotency-Key</c>s.</summary>
    public const string AppliedRequestsFileName = "config-requests.json";

    /// <summary>Name of the file in the data folder that holds the reminders (<see cref="FileReminderTable"/>).</summary>
    public const string RemindersFileName = "reminders.json";

    /// <summary>
    /// Registers the services every silo needs whatever its storage (the domain clock, the config resources,
    /// the logins, the retry rules of grain calls made from it: <see cref="ResendFilter"/>).
    /// </summary>
    public static ISiloBuilder AddProxyGrains(this ISiloBuilder silo)
    {
        silo.Services.AddGrainCallResends();
        silo.Services.TryAddKeyedSingleton(GrainServiceKeys.Clock, TimeProvider.System);
        silo.Services.TryAddSingleton(new ConfigResourceCatalog(ConfigResources.All));
        silo.AddOAuthLogins();
        return silo;
    }
}
