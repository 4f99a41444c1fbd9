namespace CliProxy.Harness;

/// <summary>Control of the PostgreSQL server the cluster runs on.</summary>
public sealed partial class ClusterHarness
{
    /// <summary>Stops the PostgreSQL server cleanly (committed data survives; see <see cref="ThrowawayPostgres.StopServerAsync"/>).</summary>
    public Task StopPostgresAsync() => Postgres.StopServerAsync();

    /// <summary>Starts the PostgreSQL server again on the same port and data.</summary>
    public Task StartPostgresAsync() => Postgres.StartServerAsync();

    /// <summary>
    /// Stops PostgreSQL, runs <paramref name="whileDown"/> (e.g. a wait until some writes failed), and
    /// starts it again, also when <paramref name="whileDown"/> throws.
    /// </summary>
    public async Task RestartPostgresAsync(Func<Task>? whileDown = null)
    {
        await StopPostgresAsync();
        try
        {
            if (whileDown is not null) await whileDown();
        }
        finally
        {
            await StartPostgresAsync();
        }
    }
}
