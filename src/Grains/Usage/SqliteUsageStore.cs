using CliProxy.Domain.Usage;
using Microsoft.Data.Sqlite;

namespace CliProxy.Grains.Usage;

/// <summary>
/// The embedded mode's usage store: an SQLite database file (<c>usage.db</c> in the data folder) in
/// WAL mode with <c>synchronous=FULL</c>, so a committed batch survives a crash of the process. The
/// tables of the PostgreSQL store (<c>usage_details</c>, <c>usage_state</c>, created on first use), with
/// <c>requested_at</c> in UTC ticks and, instead of an index on the API and model texts, one on
/// <c>grp</c>, a 64-bit hash of both (measured: the text index cost more than half of an insert). A
/// batch is one transaction of prepared single-row inserts (cheaper per row here than one statement
/// that unpacks the batch as JSON).
/// </summary>
public sealed class SqliteUsageStore : IUsageStore
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS usage_details (
            id               INTEGER PRIMARY KEY AUTOINCREMENT,
            dedup            BLOB    NOT NULL,
            grp              INTEGER NOT NULL,
            api              TEXT    NOT NULL,
            model            TEXT    NOT NULL,
            requested_at     INTEGER NOT NULL,
            timestamp_text   TEXT    NOT NULL,
            source           TEXT    NOT NULL,
            auth_index       TEXT    NOT NULL,
            provider         TEXT    NOT NULL,
            failed           INTEGER NOT NULL,
            input_tokens     INTEGER NOT NULL,
            output_tokens    INTEGER NOT NULL,
            reasoning_tokens INTEGER NOT NULL,
            cached_tokens    INTEGER NOT NULL,
            total_tokens     INTEGER NOT NULL,
            latency_ms       INTEGER NOT NULL
        );
        CREATE UNIQUE INDEX IF NOT EXISTS usage_details_dedup ON usage_details (requested_at, dedup);
        CREATE INDEX IF NOT EXISTS usage_details_group ON usage_details (grp, id);
        CREATE TABLE IF NOT EXISTS usage_state (
            grain_key TEXT    NOT NULL PRIMARY KEY,
            payload   TEXT    NOT NULL,
            version   INTEGER NOT NULL
        );
        """;

    private readonly string _connectionString;
    private readonly string _key;
    private readonly SemaphoreSlim _init = new(1, 1);
    private bool _ready;

    /// <summary>A store in the database file <paramref name="path"/> (its folder is created when missing).</summary>
    /// <param name="path">The database file.</param>
    /// <param name="grainKey">Key of the state row.</param>
    public SqliteUsageStore(string path, string grainKey = "default")
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = 30 }.ToString();
        _key = grainKey;
    }

    /// <inheritdoc />
    public async Task<(UsageState State, long Version)> LoadAsync(CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, "SELECT payload, version FROM usage_state WHERE grain_key = $k", ("$k", _key));
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken) ? (UsageState.FromJson(r.GetString(0)), r.GetInt64(1)) : (new UsageState(), 0);
    }

    /// <inheritdoc />
    public async Task<long> LastIdAsync(CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, "SELECT coalesce(max(id), 0) FROM usage_details");
        return (long)(await cmd.ExecuteScalarAsync(cancellationToken))!;
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UsageDetail>> RecentAsync(int count, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, $"SELECT {UsageDetailColumns.Select} FROM usage_details ORDER BY id DESC LIMIT $n", ("$n", count));
        var list = new List<UsageDetail>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) list.Add(UsageDetailColumns.Read(r, 0));
        list.Reverse();
        return list;
    }

    /// <inheritdoc />
    public async Task<UsageCommit> CommitAsync(IReadOnlyList<UsageDetail> details, Func<IReadOnlyList<UsageDetail>, UsageState> next, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken);
        var inserted = new List<UsageDetail>(details.Count);
        long lastId;
        await using (var insert = c.CreateCommand())
        {
            insert.Transaction = tx;
            insert.CommandText = """
                INSERT OR IGNORE INTO usage_details (dedup, api, model, requested_at, timestamp_text, source, auth_index, provider, failed,
                    input_tokens, output_tokens, reasoning_tokens, cached_tokens, total_tokens, latency_ms, grp)
                VALUES ($dedup, $api, $model, $at, $ts, $source, $auth, $provider, $failed, $in, $out, $reasoning, $cached, $total, $latency, $grp)
                """;
            var p = new[] { "$dedup", "$api", "$model", "$at", "$ts", "$source", "$auth", "$provider", "$failed", "$in", "$out", "$reasoning", "$cached", "$total", "$latency", "$grp" }
                .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
            insert.Prepare();
            var groups = new Dictionary<(string, string), long>();
            foreach (var d in details)
            {
                p[0].Value = d.DedupHash();
                p[1].Value = d.Api;
                p[2].Value = d.Model;
                p[3].Value = d.Timestamp.Instant.UtcTicks;
                p[4].Value = d.Timestamp.Text;
                p[5].Value = d.Source;
                p[6].Value = d.AuthIndex;
                p[7].Value = d.Provider;
                p[8].Value = d.Failed;
                p[9].Value = d.Tokens.Input;
                p[10].Value = d.Tokens.Output;
                p[11].Value = d.Tokens.Reasoning;
                p[12].Value = d.Tokens.Cached;
                p[13].Value = d.Tokens.Total;
                p[14].Value = d.LatencyMs;
                if (!groups.TryGetValue((d.Api, d.Model), out var group)) groups[(d.Api, d.Model)] = group = Group(d.Api, d.Model);
                p[15].Value = group;
                // Synchronous: Microsoft.Data.Sqlite runs statements synchronously anyway; the async form only adds a task per row.
                if (insert.ExecuteNonQuery() == 1) inserted.Add(d);
            }
        }
        var state = next(inserted);
        await using (var save = Command(c, "UPDATE usage_state SET payload = $p, version = version + 1 WHERE grain_key = $k AND version = $v",
                         ("$p", state.ToJson()), ("$k", _key), ("$v", expectedVersion)))
        {
            save.Transaction = tx;
            if (await save.ExecuteNonQueryAsync(cancellationToken) == 0)
            {
                if (expectedVersion != 0) throw new UsageStateConflictException();
                save.CommandText = "INSERT INTO usage_state (grain_key, payload, version) VALUES ($k, $p, 1) ON CONFLICT DO NOTHING";
                if (await save.ExecuteNonQueryAsync(cancellationToken) == 0) throw new UsageStateConflictException();
            }
        }
        {
            await using var last = Command(c, "SELECT coalesce(max(id), 0) FROM usage_details");
            last.Transaction = tx;
            lastId = (long)(await last.ExecuteScalarAsync(cancellationToken))!;
        }
        await tx.CommitAsync(cancellationToken);
        return new UsageCommit(inserted, state, expectedVersion + 1, lastId);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<StoredDetail>> PageAsync(string api, string model, long afterId, long upToId, int limit, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c,
            $"SELECT id, {UsageDetailColumns.Select} FROM usage_details WHERE grp = $g AND api = $a AND model = $m AND id > $after AND id <= $upto ORDER BY id LIMIT $n",
            ("$g", Group(api, model)), ("$a", api), ("$m", model), ("$after", afterId), ("$upto", upToId), ("$n", limit));
        var list = new List<StoredDetail>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken)) list.Add(new StoredDetail(r.GetInt64(0), UsageDetailColumns.Read(r, 1)));
        return list;
    }

    /// <inheritdoc />
    public async Task<long> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, "DELETE FROM usage_details WHERE requested_at < $t", ("$t", before.UtcTicks));
        return await cmd.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>
    /// The index key of an API and model: 64 bits of SHA-256 of both. An integer index on it costs far less
    /// per insert than one on the two texts; queries compare the texts too, so a collision only costs a filter.
    /// </summary>
    private static long Group(string api, string model) =>
        BitConverter.ToInt64(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(api + "\n" + model)));

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var c = new SqliteConnection(_connectionString);
        await c.OpenAsync(cancellationToken);
        await using (var sync = Command(c, "PRAGMA synchronous = FULL")) await sync.ExecuteNonQueryAsync(cancellationToken);
        if (!_ready) await EnsureSchemaAsync(c, cancellationToken);
        return c;
    }

    private async Task EnsureSchemaAsync(SqliteConnection c, CancellationToken cancellationToken)
    {
        await _init.WaitAsync(cancellationToken);
        try
        {
            if (_ready) return;
            await using var cmd = Command(c, Schema);
            await cmd.ExecuteNonQueryAsync(cancellationToken);
            _ready = true;
        }
        finally
        {
            _init.Release();
        }
    }

    private static SqliteCommand Command(SqliteConnection c, string sql, params (string Name, object Value)[] parameters)
    {
        var cmd = c.CreateCommand();
        cmd.CommandText = sql;
        foreach (var (name, value) in parameters) cmd.Parameters.AddWithValue(name, value);
        return cmd;
    }
}
