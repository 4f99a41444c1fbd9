using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace CliProxy.Grains.Usage;

/// <summary>Registers the usage store of a silo (one per silo; the usage grain uses it wherever it is activated).</summary>
public static class UsageHostingExtensions
{
    /// <summary>Name of the embedded mode's usage database in the data folder.</summary>
    public const string DatabaseFileName = "usage.db";

    /// <summary>Embedded mode: the SQLite store <c>&lt;data folder&gt;/usage.db</c>.</summary>
    public static ISiloBuilder AddEmbeddedUsageStore(this ISiloBuilder silo, string dataDirectory)
    {
        silo.Services.TryAddSingleton<IUsageStore>(_ => new SqliteUsageStore(Path.Combine(dataDirectory, DatabaseFileName)));
        return silo.AddUsageOptions();
    }

    /// <summary>Cluster mode: the PostgreSQL tables <c>usage_details</c> and <c>usage_state</c>, rows of <paramref name="serviceId"/>.</summary>
    public static ISiloBuilder AddPostgresUsageStore(this ISiloBuilder silo, string connectionString, string serviceId)
    {
        silo.Services.TryAddSingleton<IUsageStore>(_ => new PostgresUsageStore(connectionString, serviceId));
        return silo.AddUsageOptions();
    }

    private static ISiloBuilder AddUsageOptions(this ISiloBuilder silo)
    {
        silo.Services.AddOptions<UsageStoreOptions>().BindConfiguration(UsageStoreOptions.Section);
        return silo;
    }
}
