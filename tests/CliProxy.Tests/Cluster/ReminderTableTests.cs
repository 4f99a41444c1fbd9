using CliProxy.Grains.Storage.Postgres;
using CliProxy.Tests.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Configuration;
using Orleans.Hosting;

namespace CliProxy.Tests.Cluster;

/// <summary>
/// Orleans' own ADO.NET reminder table against the schema in PostgreSQL (every reminder query key);
/// a service id per test keeps the tests apart.
/// </summary>
[Collection(PostgresCollection.Name)]
[Cluster]
public sealed class ReminderTableTests(PostgresServer server) : ReminderTableContract
{
    /// <inheritdoc />
    protected override async Task<IReminderTable> TableAsync()
    {
        await new PostgresSchema(server.ConnectionString).ApplyAsync();
        var services = new ServiceCollection();
        services.Configure<ClusterOptions>(o => (o.ClusterId, o.ServiceId) = ("reminders", "reminders-" + Guid.NewGuid().ToString("N")));
        services.UseAdoNetReminderService(o => o.Configure(t => (t.Invariant, t.ConnectionString) = ("Npgsql", server.ConnectionString)));
        var table = services.BuildServiceProvider().GetRequiredService<IReminderTable>();
        await table.StartAsync();
        return table;
    }
}
