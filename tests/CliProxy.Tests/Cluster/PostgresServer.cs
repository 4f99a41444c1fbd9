namespace CliProxy.Tests.Cluster;

/// <summary>
/// The tests' throwaway PostgreSQL (<see cref="ThrowawayPostgres"/> of the shared harness) as an
/// xunit fixture: one server per test run (<see cref="PostgresCollection"/>); if
/// <c>CLIPROXY_TEST_PG</c> holds a connection string, databases are created on that server instead.
/// </summary>
public sealed class PostgresServer() : ThrowawayPostgres("CLIPROXY_TEST_PG"), IAsyncLifetime
{
    Task IAsyncLifetime.InitializeAsync() => StartAsync();

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();
}
