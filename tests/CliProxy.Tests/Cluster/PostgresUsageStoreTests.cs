using CliProxy.Grains.Storage.Postgres;
using CliProxy.Grains.Usage;
using CliProxy.Tests.Grains.Usage;

namespace CliProxy.Tests.Cluster;

/// <summary><see cref="UsageStoreContract"/> for the cluster's PostgreSQL store (0003-usage.sql), each test on its own service id.</summary>
[Collection(PostgresCollection.Name)]
[Cluster]
public sealed class PostgresUsageStoreTests(PostgresServer server) : UsageStoreContract
{
    /// <inheritdoc />
    protected override async Task<IUsageStore> NewStoreAsync()
    {
        await new PostgresSchema(server.ConnectionString).ApplyAsync();
        return new PostgresUsageStore(server.ConnectionString, "usage-" + Guid.NewGuid().ToString("N"));
    }
}
