using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;
using System.Text.Json;
using CliProxy.Domain.Usage;
using Microsoft.Data.Sqlite;

namespace CliProxy.Grains.Usage;

/// <summary>
/// The embedded mode's usage store: an SQLite database file (<c>usage.db</c> in the data folder) in
/// WAL mode with <c>synchronous=FULL</c>, so a committed batch survives a crash of the process.
/// Details are stored in <em>segments</em>: one row per batch and API/model holding that batch's
/// details of the pair as a compact JSON array, plus one narrow row per detail in
/// <c>usage_keys</c> (UTC ticks, big-endian, then the 16-byte §1.9 hash) that makes details unique.
/// A row per detail with every column cost about 11 µs of CPU per record here (mostly binding 16
/// parameters); a segment costs about a third of that, and the export copies segments in order.
/// The cluster's PostgreSQL store keeps one row per detail instead, for operators' SQL.
/// </summary>
public sealed class SqliteUsageStore : IUsageStore
{
    private const string Schema = """
        PRAGMA journal_mode = WAL;
        CREATE TABLE IF NOT EXISTS usage_keys (
            k BLOB NOT NULL PRIMARY KEY
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS usage_segments (
            id       INTEGER PRIMARY KEY AUTOINCREMENT,
            grp      INTEGER NOT NULL,
            api      TEXT    NOT NULL,
            model    TEXT    NOT NULL,
            last_at  INTEGER NOT NULL,
            count    INTEGER NOT NULL,
            details  BLOB    NOT NULL
        );
        CREATE INDEX IF NOT EXISTS usage_segments_group ON usage_segments (grp, id);
        CREATE INDEX IF NOT EXISTS usage_segments_time ON usage_segments (last_at);
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
        return await LastIdAsync(c, null, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<UsageDetail>> RecentAsync(int count, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c, "SELECT api, model, details, count FROM usage_segments ORDER BY id DESC");
        var segments = new List<List<UsageDetail>>();
        var found = 0;
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (found < count && await r.ReadAsync(cancellationToken))
        {
            segments.Add(ReadSegment(r.GetString(0), r.GetString(1), (byte[])r.GetValue(2)));
            found += r.GetInt32(3);
        }
        segments.Reverse();
        var all = segments.SelectMany(s => s).ToList();
        return all.Skip(Math.Max(0, all.Count - count)).ToList();
    }

    /// <inheritdoc />
    public async Task<UsageCommit> CommitAsync(IReadOnlyList<UsageDetail> details, Func<IReadOnlyList<UsageDetail>, UsageState> next, long expectedVersion, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken);
        var inserted = new List<UsageDetail>(details.Count);
        await using (var key = Command(c, "INSERT OR IGNORE INTO usage_keys (k) VALUES ($k)"))
        {
            key.Transaction = tx;
            var p = key.Parameters.Add(new SqliteParameter { ParameterName = "$k" });
            key.Prepare();
            foreach (var d in details)
            {
                p.Value = Key(d);
                // Synchronous: Microsoft.Data.Sqlite runs statements synchronously anyway; the async form only adds a task per row.
                if (key.ExecuteNonQuery() == 1) inserted.Add(d); // of equal details in one batch, the first
            }
        }
        // Stored order (what RecentAsync reads back): the batch's details grouped by API and model, each group in arrival order.
        var groups = inserted.GroupBy(d => (d.Api, d.Model)).Select(g => g.ToList()).ToList();
        inserted = [.. groups.SelectMany(g => g)];
        await using (var segment = Command(c, "INSERT INTO usage_segments (grp, api, model, last_at, count, details) VALUES ($g, $a, $m, $t, $n, $d)"))
        {
            segment.Transaction = tx;
            foreach (var list in groups)
            {
                var (api, model) = (list[0].Api, list[0].Model);
                segment.Parameters.Clear();
                segment.Parameters.AddWithValue("$g", Group(api, model));
                segment.Parameters.AddWithValue("$a", api);
                segment.Parameters.AddWithValue("$m", model);
                segment.Parameters.AddWithValue("$t", list.Max(d => d.Timestamp.Instant.UtcTicks));
                segment.Parameters.AddWithValue("$n", list.Count);
                segment.Parameters.AddWithValue("$d", WriteSegment(list));
                await segment.ExecuteNonQueryAsync(cancellationToken);
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
        var lastId = await LastIdAsync(c, tx, cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return new UsageCommit(inserted, state, expectedVersion + 1, lastId);
    }

    /// <inheritdoc />
    /// <remarks>Returns whole segments (a segment's details share its id), so a page may hold more than <paramref name="limit"/> details.</remarks>
    public async Task<IReadOnlyList<StoredDetail>> PageAsync(string api, string model, long afterId, long upToId, int limit, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var cmd = Command(c,
            "SELECT id, details, count FROM usage_segments WHERE grp = $g AND api = $a AND model = $m AND id > $after AND id <= $upto ORDER BY id",
            ("$g", Group(api, model)), ("$a", api), ("$m", model), ("$after", afterId), ("$upto", upToId));
        var list = new List<StoredDetail>();
        await using var r = await cmd.ExecuteReaderAsync(cancellationToken);
        while (list.Count < limit && await r.ReadAsync(cancellationToken))
        {
            var id = r.GetInt64(0);
            list.AddRange(ReadSegment(api, model, (byte[])r.GetValue(1)).Select(d => new StoredDetail(id, d)));
        }
        return list;
    }

    /// <inheritdoc />
    /// <remarks>Segments go when their newest detail is older than <paramref name="before"/>; keys when their own time is.</remarks>
    public async Task<long> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var c = await OpenAsync(cancellationToken);
        await using var tx = (SqliteTransaction)await c.BeginTransactionAsync(cancellationToken);
        await using var count = Command(c, "SELECT coalesce(sum(count), 0) FROM usage_segments WHERE last_at < $t", ("$t", before.UtcTicks));
        count.Transaction = tx;
        var removed = (long)(await count.ExecuteScalarAsync(cancellationToken))!;
        await using var segments = Command(c, "DELETE FROM usage_segments WHERE last_at < $t", ("$t", before.UtcTicks));
        segments.Transaction = tx;
        await segments.ExecuteNonQueryAsync(cancellationToken);
        var bound = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(bound, before.UtcTicks);
        await using var keys = Command(c, "DELETE FROM usage_keys WHERE k < $k", ("$k", bound));
        keys.Transaction = tx;
        await keys.ExecuteNonQueryAsync(cancellationToken);
        await tx.CommitAsync(cancellationToken);
        return removed;
    }

    /// <summary>The unique key of a detail: its UTC ticks (big-endian, so keys sort by time and new ones append) and its §1.9 hash.</summary>
    private static byte[] Key(UsageDetail d)
    {
        var key = new byte[24];
        BinaryPrimitives.WriteInt64BigEndian(key, d.Timestamp.Instant.UtcTicks);
        d.DedupHash(key.AsSpan(8));
        return key;
    }

    /// <summary>The index key of an API and model: XXH64 of both (queries compare the texts too).</summary>
    private static long Group(string api, string model) => (long)XxHash64.HashToUInt64(Encoding.UTF8.GetBytes(api + "\n" + model));

    /// <summary>Details of one API and model as a JSON array of arrays: timestamp, source, auth_index, the five token counts, failed, latency, provider.</summary>
    private static byte[] WriteSegment(List<UsageDetail> details)
    {
        var buffer = new ArrayBufferWriter<byte>(details.Count * 128);
        using (var w = new Utf8JsonWriter(buffer, UsageJson.WriterOptions))
        {
            w.WriteStartArray();
            foreach (var d in details)
            {
                w.WriteStartArray();
                w.WriteStringValue(d.Timestamp.Text);
                w.WriteStringValue(d.Source);
                w.WriteStringValue(d.AuthIndex);
                w.WriteNumberValue(d.Tokens.Input);
                w.WriteNumberValue(d.Tokens.Output);
                w.WriteNumberValue(d.Tokens.Reasoning);
                w.WriteNumberValue(d.Tokens.Cached);
                w.WriteNumberValue(d.Tokens.Total);
                w.WriteBooleanValue(d.Failed);
                w.WriteNumberValue(d.LatencyMs);
                w.WriteStringValue(d.Provider);
                w.WriteEndArray();
            }
            w.WriteEndArray();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static List<UsageDetail> ReadSegment(string api, string model, byte[] json)
    {
        var list = new List<UsageDetail>();
        using var doc = JsonDocument.Parse(json);
        foreach (var e in doc.RootElement.EnumerateArray())
        {
            list.Add(new UsageDetail(api, model, UsageTimestamp.Parse(e[0].GetString()!), e[1].GetString()!, e[2].GetString()!,
                new UsageTokens(e[3].GetInt64(), e[4].GetInt64(), e[5].GetInt64(), e[6].GetInt64(), e[7].GetInt64()), e[8].GetBoolean(), e[9].GetInt64(), e[10].GetString()!));
        }
        return list;
    }

    private static async Task<long> LastIdAsync(SqliteConnection c, SqliteTransaction? tx, CancellationToken cancellationToken)
    {
        await using var last = Command(c, "SELECT coalesce(max(id), 0) FROM usage_segments");
        last.Transaction = tx;
        return (long)(await last.ExecuteScalarAsync(cancellationToken))!;
    }

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
