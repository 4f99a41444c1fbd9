using System.Reflection;
using CliProxy.Grains.Storage.Postgres;
using Npgsql;
using Orleans.Storage;
using Xunit;

namespace CliProxy.Tests.Cluster;

/// <summary>The embedded schema applies idempotently, concurrently, and holds every query Orleans asks for.</summary>
[Collection(PostgresCollection.Name)]
[Cluster]
public sealed class PostgresSchemaTests(PostgresServer server)
{
    [Fact]
    public void Scripts_are_embedded_in_order()
    {
        Assert.NotEmpty(PostgresSchema.ScriptNames);
        Assert.Equal("0001-orleans.sql", PostgresSchema.ScriptNames[0]);
        Assert.Equal(PostgresSchema.ScriptNames.Order(StringComparer.Ordinal), PostgresSchema.ScriptNames);
    }

    [Fact]
    public async Task Concurrent_applies_on_a_fresh_database_all_succeed_and_repeat_harmlessly()
    {
        var connectionString = await server.CreateDatabaseAsync();
        var schema = new PostgresSchema(connectionString);

        // Several processes starting at once: the advisory lock serialises them.
        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => schema.ApplyAsync())));
        await schema.ApplyAsync();

        var tables = await Sql.ListAsync<string>(connectionString,
            "SELECT table_name::text FROM information_schema.tables WHERE table_schema = 'public' ORDER BY 1");
        Assert.Equal(["orleans_membership", "orleans_membership_version", "orleans_reminders", "orleans_storage", "orleansquery", "usage_details", "usage_state"], tables);
        Assert.Equal(21L, await Sql.ScalarAsync<long>(connectionString, "SELECT count(*) FROM orleansquery"));
    }

    [Fact]
    public async Task A_cancelled_apply_throws_and_changes_nothing()
    {
        var connectionString = await server.CreateDatabaseAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => new PostgresSchema(connectionString).ApplyAsync(cancelled.Token));

        Assert.Equal(0L, await Sql.ScalarAsync<long>(connectionString,
            "SELECT count(*) FROM information_schema.tables WHERE table_schema = 'public'"));
    }

    [Fact]
    public async Task Every_query_key_the_clustering_provider_requires_is_present()
    {
        await new PostgresSchema(server.ConnectionString).ApplyAsync();

        // Orleans checks its required keys against the internal DbStoredQueries properties;
        // read the same list so that a provider upgrade adding a key fails here first.
        var storedQueries = typeof(Orleans.Runtime.MembershipService.AdoNetClusteringTable).Assembly
            .GetType("Orleans.Clustering.AdoNet.Storage.DbStoredQueries", throwOnError: true)!;
        var required = storedQueries.GetProperties(BindingFlags.Instance | BindingFlags.NonPublic)
            .Select(p => p.Name)
            .ToArray();
        Assert.Contains("GatewaysQueryKey", required);

        var keys = await Sql.ListAsync<string>(server.ConnectionString, "SELECT querykey FROM orleansquery");
        Assert.All(required, key => Assert.Contains(key, keys));
        Assert.Contains("CleanupDefunctSiloEntryKey", keys);
    }

    [Fact]
    public async Task Every_query_key_the_storage_provider_loads_is_present()
    {
        await new PostgresSchema(server.ConnectionString).ApplyAsync();

        var keys = await Sql.ListAsync<string>(server.ConnectionString,
            AdoNetGrainStorage.DefaultInitializationQuery.Replace("QueryKey, QueryText", "QueryKey", StringComparison.Ordinal));

        Assert.Equal(
            ["ClearStorageKey", "DeleteStorageKey", "ReadFromStorageKey", "WriteToStorageKey"],
            keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Rejects_an_empty_connection_string()
    {
        Assert.Throws<ArgumentException>(() => new PostgresSchema(" "));
    }

    [Fact]
    public async Task Reads_an_embedded_script_and_rejects_an_unknown_one()
    {
        var sql = await PostgresSchema.ReadScriptAsync("0001-orleans.sql");
        Assert.Contains("CREATE TABLE IF NOT EXISTS orleansquery", sql);
        await Assert.ThrowsAsync<ArgumentException>(() => PostgresSchema.ReadScriptAsync("9999-missing.sql"));
    }

    [Fact]
    public async Task Orleans_query_table_has_the_columns_both_providers_select()
    {
        await new PostgresSchema(server.ConnectionString).ApplyAsync();
        await using var connection = new NpgsqlConnection(server.ConnectionString);
        await connection.OpenAsync();
        // The literal text the clustering provider runs (unquoted identifiers fold to lower case).
        await using var command = new NpgsqlCommand("SELECT QueryKey, QueryText FROM OrleansQuery", connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.False(string.IsNullOrWhiteSpace(reader.GetString(reader.GetOrdinal("QueryText"))));
    }
}
