using Npgsql;

namespace CliProxy.Grains.Storage.Postgres;

/// <summary>
/// Creates or updates the PostgreSQL schema that Orleans' ADO.NET clustering and grain storage
/// need: the membership and grain-state tables, their functions and the <c>orleansquery</c> rows.
/// </summary>
/// <remarks>
/// The SQL is embedded in this assembly (<c>Sql/NNNN-*.sql</c>) and every script is idempotent, so
/// <see cref="ApplyAsync"/> runs all of them, in name order, on every start. It does so in one
/// transaction under a transaction-scoped advisory lock: processes that start together apply the
/// schema one after another, and a failed apply leaves the database as it was.
/// </remarks>
public sealed class PostgresSchema
{
    /// <summary>The advisory lock key that serialises schema applies ("CliProxy" in ASCII).</summary>
    public const long AdvisoryLockKey = 0x436C_6950_726F_7879;

    private const string ResourcePrefix = "CliProxy.Grains.Sql.";

    private readonly string _connectionString;

    /// <summary>Creates a schema applier for the database named by <paramref name="connectionString"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string; its user must be allowed to create tables and functions.</param>
    public PostgresSchema(string connectionString)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _connectionString = connectionString;
    }

    /// <summary>The embedded script names, in the order they are applied.</summary>
    public static IReadOnlyList<string> ScriptNames { get; } = typeof(PostgresSchema).Assembly
        .GetManifestResourceNames()
        .Where(name => name.StartsWith(ResourcePrefix, StringComparison.Ordinal)
                       && name.EndsWith(".sql", StringComparison.Ordinal))
        .Select(name => name[ResourcePrefix.Length..])
        .Order(StringComparer.Ordinal)
        .ToArray();

    /// <summary>Applies every embedded script, in one transaction under the advisory lock.</summary>
    /// <param name="cancellationToken">Cancels waiting for the lock or applying the scripts.</param>
    /// <exception cref="PostgresException">A script failed; nothing of this apply is kept.</exception>
    public async Task ApplyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);

        await using (var lockCommand = new NpgsqlCommand("SELECT pg_advisory_xact_lock(@key)", connection, transaction))
        {
            lockCommand.Parameters.AddWithValue("key", AdvisoryLockKey);
            await lockCommand.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        foreach (var scriptName in ScriptNames)
        {
            var sql = await ReadScriptAsync(scriptName, cancellationToken).ConfigureAwait(false);
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the text of one embedded script.</summary>
    /// <param name="scriptName">A name from <see cref="ScriptNames"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    public static async Task<string> ReadScriptAsync(string scriptName, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scriptName);
        await using var stream = typeof(PostgresSchema).Assembly.GetManifestResourceStream(ResourcePrefix + scriptName)
            ?? throw new ArgumentException($"No embedded SQL script named '{scriptName}'.", nameof(scriptName));
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
    }
}
