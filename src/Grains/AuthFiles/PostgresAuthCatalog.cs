using System.Text.Json;
using CliProxy.Abstractions.AuthFiles;
using CliProxy.Domain.AuthFiles;
using Npgsql;

namespace CliProxy.Grains.AuthFiles;

/// <summary>
/// Cluster mode: the credentials are the auth-file grain states in <c>orleans_storage</c> (state
/// name <c>auth-file</c>, the grain key in <c>grain_id_extension</c>, the state as JSON in
/// <c>payload</c>). Re-read every minute to repair an index update lost to a failure.
/// </summary>
public sealed class PostgresAuthCatalog(string connectionString, string serviceId) : IAuthFileCatalog
{
    private const string Query = $"""
        SELECT grain_id_extension, payload::text, modified_on
        FROM orleans_storage
        WHERE service_id = @service AND grain_type = '{StorageNames.AuthFileState}' AND payload IS NOT NULL
        """;

    /// <inheritdoc />
    public TimeSpan? ReconcileEvery => TimeSpan.FromMinutes(1);

    /// <inheritdoc />
    public async Task<Dictionary<string, AuthFileSummary>> LoadAsync(CancellationToken cancellationToken = default)
    {
        var files = new Dictionary<string, AuthFileSummary>(StringComparer.Ordinal);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand(Query, connection);
        command.Parameters.AddWithValue("service", serviceId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            if (reader.IsDBNull(0)) continue;
            var state = JsonSerializer.Deserialize<AuthFileState>(reader.GetString(1));
            if (state?.Json is not { } json || JsonText.ParseObject(json) is not { } obj) continue;
            var modified = new DateTimeOffset(reader.GetDateTime(2), TimeSpan.Zero);
            var name = AuthFileKeys.NameOf(reader.GetString(0));
            files[name] = AuthFileSummaries.Build(name, json, obj, state.CreatedAt ?? modified, state.UpdatedAt ?? modified, state.StatusMessage);
        }
        return files;
    }
}
