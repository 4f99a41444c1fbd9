using CliProxy.Domain.Usage;
using Npgsql;
using NpgsqlTypes;

namespace CliProxy.Grains.Usage;

/// <summary>
/// The cluster's usage store: the <c>usage_details</c> and <c>usage_state</c> tables
/// (<c>Storage/Postgres/Sql/0003-usage.sql</c>), rows keyed by the cluster's service id. A batch is
/// one transaction: one <c>INSERT … SELECT FROM unnest(…) ON CONFLICT DO NOTHING</c> for its details
/// and one compare-and-set of the state row.
/// </summary>
public sealed class PostgresUsageStore : IUsageStore, IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly string _serviceId;
    private readonly string _key;

    /// <summary>A store on <paramref name="connectionString"/> for the cluster <paramref name="serviceId"/>.</summary>
    public PostgresUsageStore(string connectionString, string serviceId, string grainKey = "default")
    {
        _source = NpgsqlDataSource.Create(connectionString);
        _serviceId = serviceId;
        _key = grainKey;
    }

    /// <inheritdoc />
    public async Task<(UsageState State, long Version)> LoadAsync(CancellationToken cancellationToken)
    {
        await using var cmd = _source.CreateCommand("SELECT payload::text, version FROM usage_state WHERE service_id = $1 AND grain_key = $2");
        cmd.Parameters.AddWithValue(_serviceId);
        cmd.Parameters.AddWithValue(_key);
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? (UsageState.FromJson(r.GetString(0)), r.GetInt64(1)) : (new UsageState(), 0);
    }

    /// <inheritdoc />
    public async Task<long> LastIdAsync(CancellationToken cancellationToken)
    {
        await using var cmd = _source.CreateCommand("SELECT coalesce(max(id), 0) FROM usage_details WHERE service_id = $1");
        cmd.Parameters.AddWithValue(_serviceId);
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UsageDetail>> RecentAsync(int count, CancellationToken cancellationToken)
    {
        await using var cmd = _source.CreateCommand($"SELECT {UsageDetailColumns.Select} FROM usage_details WHERE service_id = $1 ORDER BY id DESC LIMIT $2");
        cmd.Parameters.AddWithValue(_serviceId);
        cmd.Parameters.AddWithValue(count);
        var list = new List<UsageDetail>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) list.Add(UsageDetailColumns.Read(r, 0));
        list.Reverse();
        return list;
    }

    /// <inheritdoc />
    public async Task<UsageCommit> CommitAsync(IReadOnlyList<UsageDetail> details, Func<IReadOnlyList<UsageDetail>, UsageState> next, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var c = await _source.OpenConnectionAsync(cancellationToken);
        await using var tx = await c.BeginTransactionAsync(cancellationToken);
        var inserted = new List<UsageDetail>(details.Count);
        long lastId = 0;
        if (details.Count > 0)
        {
            var byHash = new Dictionary<string, UsageDetail>(details.Count, StringComparer.Ordinal);
            var hashes = new byte[details.Count][];
            for (var i = 0; i < details.Count; i++)
            {
                hashes[i] = details[i].DedupHash();
                byHash[Convert.ToHexString(hashes[i])] = details[i];
            }
            await using var insert = new NpgsqlCommand("""
                INSERT INTO usage_details (service_id, dedup, api, model, requested_at, timestamp_text, source, auth_index, provider, failed,
                    input_tokens, output_tokens, reasoning_tokens, cached_tokens, total_tokens, latency_ms)
                SELECT $1, t.dedup, t.api, t.model, t.requested_at, t.timestamp_text, t.source, t.auth_index, t.provider, t.failed,
                    t.input_tokens, t.output_tokens, t.reasoning_tokens, t.cached_tokens, t.total_tokens, t.latency_ms
                FROM unnest($2::bytea[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[], $8::text[], $9::text[], $10::boolean[],
                            $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[])
                     WITH ORDINALITY AS t(dedup, api, model, requested_at, timestamp_text, source, auth_index, provider, failed,
                          input_tokens, output_tokens, reasoning_tokens, cached_tokens, total_tokens, latency_ms, ord)
                ORDER BY t.ord
                ON CONFLICT (service_id, requested_at, dedup) DO NOTHING
                RETURNING id, dedup
                """, c, tx);
            insert.Parameters.AddWithValue(_serviceId);
            insert.Parameters.AddWithValue(hashes);
            Add(insert, details, d => d.Api);
            Add(insert, details, d => d.Model);
            insert.Parameters.Add(new NpgsqlParameter { Value = details.Select(d => d.Timestamp.Instant.UtcDateTime).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
            Add(insert, details, d => d.Timestamp.Text);
            Add(insert, details, d => d.Source);
            Add(insert, details, d => d.AuthIndex);
            Add(insert, details, d => d.Provider);
            Add(insert, details, d => d.Failed);
            Add(insert, details, d => d.Tokens.Input);
            Add(insert, details, d => d.Tokens.Output);
            Add(insert, details, d => d.Tokens.Reasoning);
            Add(insert, details, d => d.Tokens.Cached);
            Add(insert, details, d => d.Tokens.Total);
            Add(insert, details, d => d.LatencyMs);
            var rows = new List<(long Id, UsageDetail Detail)>();
            await using (var r = await insert.ExecuteReaderAsync(cancellationToken))
                while (await r.ReadAsync(cancellationToken))
                    rows.Add((r.GetInt64(0), byHash[Convert.ToHexString(r.GetFieldValue<byte[]>(1))]));
            rows.Sort((a, b) => a.Id.CompareTo(b.Id));
            inserted.AddRange(rows.Select(x => x.Detail));
            if (rows.Count > 0) lastId = rows[^1].Id;
        }
        var state = next(inserted);
        await using (var save = new NpgsqlCommand("""
            INSERT INTO usage_state (service_id, grain_key, payload, version) VALUES ($1, $2, $3::json, 1)
            ON CONFLICT (service_id, grain_key) DO UPDATE SET payload = EXCLUDED.payload, version = usage_state.version + 1, modified_on = now()
                WHERE usage_state.version = $4
            RETURNING version
            """, c, tx))
        {
            save.Parameters.AddWithValue(_serviceId);
            save.Parameters.AddWithValue(_key);
            save.Parameters.AddWithValue(state.ToJson());
            save.Parameters.AddWithValue(expectedVersion);
            if (await save.ExecuteScalarAsync(cancellationToken) is not long version || version != expectedVersion + 1) throw new UsageStateConflictException();
        }
        if (lastId == 0)
        {
            await using var last = new NpgsqlCommand("SELECT coalesce(max(id), 0) FROM usage_details WHERE service_id = $1", c, tx);
            last.Parameters.AddWithValue(_serviceId);
            lastId = (long)(await last.ExecuteScalarAsync(cancellationToken))!;
        }
        await tx.CommitAsync(cancellationToken);
        return new UsageCommit(inserted, state, expectedVersion + 1, lastId);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredDetail>> PageAsync(string api, string model, long afterId, long upToId, int limit, CancellationToken cancellationToken)
    {
        await using var cmd = _source.CreateCommand($"""
            SELECT id, {UsageDetailColumns.Select} FROM usage_details
            WHERE service_id = $1 AND api = $2 AND model = $3 AND id > $4 AND id <= $5 ORDER BY id LIMIT $6
            """);
        foreach (var value in new object[] { _serviceId, api, model, afterId, upToId, limit }) cmd.Parameters.AddWithValue(value);
        var list = new List<StoredDetail>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) list.Add(new StoredDetail(r.GetInt64(0), UsageDetailColumns.Read(r, 1)));
        return list;
    }

    /// <inheritdoc />
    public async Task<long> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var cmd = _source.CreateCommand("DELETE FROM usage_details WHERE service_id = $1 AND requested_at < $2");
        cmd.Parameters.AddWithValue(_serviceId);
        cmd.Parameters.AddWithValue(before.UtcDateTime);
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _source.DisposeAsync();

    private static void Add<T>(NpgsqlCommand command, IReadOnlyList<UsageDetail> details, Func<UsageDetail, T> pick)
    {
        var values = new T[details.Count];
        for (var i = 0; i < values.Length; i++) values[i] = pick(details[i]);
        command.Parameters.AddWithValue(values);
    }
}
