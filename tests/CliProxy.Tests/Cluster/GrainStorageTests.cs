using System.Data;
using System.Text.Json;
using Npgsql;
using CliProxy.Grains.Storage.Postgres;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;
using Orleans.Serialization;
using Orleans.Serialization.Serializers;
using Orleans.Storage;
using Xunit;

namespace CliProxy.Tests.Cluster;

/// <summary>
/// Drives Orleans' own ADO.NET grain storage (<see cref="AdoNetGrainStorage"/>, System.Text.Json
/// serializer) against the schema in PostgreSQL, covering every storage query key and ETag rule.
/// </summary>
[Collection(PostgresCollection.Name)]
[Cluster]
public sealed class GrainStorageTests(PostgresServer server) : IAsyncLifetime
{
    private const string StateName = "counter";

    private readonly string _serviceId = "storage-" + Guid.NewGuid().ToString("N");
    private readonly ServiceProvider _services = new ServiceCollection().AddSerializer().BuildServiceProvider();
    private AdoNetGrainStorage _storage = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        await new PostgresSchema(server.ConnectionString).ApplyAsync();
        _storage = await CreateStorageAsync(deleteStateOnClear: false);
    }

    /// <inheritdoc />
    public Task DisposeAsync() => _services.DisposeAsync().AsTask();

    [Fact]
    public async Task Reading_state_never_written_gives_a_new_state_and_no_etag()
    {
        var state = new GrainState<CounterState>();

        await _storage.ReadStateAsync(StateName, StringGrain("u:nobody"), state);       // ReadFromStorageKey, no row

        Assert.NotNull(state.State);
        Assert.Equal(0, state.State!.Value);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task Written_state_reads_back_and_is_stored_as_readable_json()
    {
        var grain = StringGrain("u:alice");
        var written = new GrainState<CounterState>(new CounterState { Value = 7, History = ["a", "b"] });

        await _storage.WriteStateAsync(StateName, grain, written);                       // WriteToStorageKey, insert
        var read = new GrainState<CounterState>();
        await _storage.ReadStateAsync(StateName, grain, read);                           // ReadFromStorageKey

        Assert.Equal("1", written.ETag);
        Assert.True(written.RecordExists);
        Assert.Equal("1", read.ETag);
        Assert.True(read.RecordExists);
        Assert.Equal(7, read.State!.Value);
        Assert.Equal(["a", "b"], read.State!.History);

        // The row is keyed as documented for string keys, and the payload is plain JSON text.
        var row = await RowAsync("u:alice");
        Assert.Equal((0L, 0L, "u:alice", 1), (row.N0, row.N1, row.Extension, row.Version));
        Assert.Equal("json", row.PayloadType);
        using var json = JsonDocument.Parse(row.Payload!);
        Assert.Equal(7, json.RootElement.GetProperty("Value").GetInt32());
        Assert.Equal("b", json.RootElement.GetProperty("History")[1].GetString());
        // PostgreSQL itself reads it as JSON, so the state can be inspected and queried in SQL.
        Assert.Equal("7", await Sql.ScalarAsync<string>(server.ConnectionString,
            "SELECT payload ->> 'Value' FROM orleans_storage WHERE service_id = @s", ("s", _serviceId)));
    }

    [Fact]
    public async Task Writing_with_the_current_etag_bumps_the_version()
    {
        var grain = StringGrain("u:bob");
        var state = new GrainState<CounterState>(new CounterState { Value = 1 });
        await _storage.WriteStateAsync(StateName, grain, state);

        state.State!.Value = 2;
        await _storage.WriteStateAsync(StateName, grain, state);                         // WriteToStorageKey, update

        Assert.Equal("2", state.ETag);
        var row = await RowAsync("u:bob");
        Assert.Equal(2, row.Version);
        Assert.Equal(2, JsonDocument.Parse(row.Payload!).RootElement.GetProperty("Value").GetInt32());
    }

    [Fact]
    public async Task A_write_with_a_stale_etag_is_a_conflict_and_keeps_the_newer_state()
    {
        var grain = StringGrain("u:carol");
        await _storage.WriteStateAsync(StateName, grain, new GrainState<CounterState>(new CounterState { Value = 1 }));
        var first = new GrainState<CounterState>();
        var second = new GrainState<CounterState>();
        await _storage.ReadStateAsync(StateName, grain, first);
        await _storage.ReadStateAsync(StateName, grain, second);

        first.State!.Value = 10;
        await _storage.WriteStateAsync(StateName, grain, first);
        second.State!.Value = 20;
        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.WriteStateAsync(StateName, grain, second));

        Assert.Contains("Version conflict (WriteState)", conflict.Message);
        Assert.Equal("1", second.ETag);
        var row = await RowAsync("u:carol");
        Assert.Equal(2, row.Version);
        Assert.Equal(10, JsonDocument.Parse(row.Payload!).RootElement.GetProperty("Value").GetInt32());
    }

    [Fact]
    public async Task A_first_write_when_the_row_already_exists_is_a_conflict()
    {
        // Integer key without extension: the extension column is NULL and must still be unique.
        var grain = IntegerGrain(42, extension: null);
        await _storage.WriteStateAsync(StateName, grain, new GrainState<CounterState>(new CounterState { Value = 1 }));

        var unaware = new GrainState<CounterState>(new CounterState { Value = 2 });   // no ETag: "never read"
        await Assert.ThrowsAsync<InconsistentStateException>(
            () => _storage.WriteStateAsync(StateName, grain, unaware));

        Assert.Equal(1L, await Sql.ScalarAsync<long>(server.ConnectionString,
            "SELECT count(*) FROM orleans_storage WHERE service_id = @s", ("s", _serviceId)));
    }

    [Fact]
    public async Task Concurrent_first_writes_let_exactly_one_in()
    {
        var grain = StringGrain("u:race");
        var attempts = Enumerable.Range(1, 6)
            .Select(i => Task.Run(async () =>
            {
                try
                {
                    await _storage.WriteStateAsync(StateName, grain, new GrainState<CounterState>(new CounterState { Value = i }));
                    return true;
                }
                catch (InconsistentStateException)
                {
                    return false;
                }
            }));

        var results = await Task.WhenAll(attempts);

        Assert.Single(results, written => written);
        Assert.Equal(1, (await RowAsync("u:race")).Version);
    }

    [Fact]
    public async Task The_write_query_answers_a_conflict_with_one_null_row()
    {
        var grain = StringGrain("u:gina");
        await _storage.WriteStateAsync(StateName, grain, new GrainState<CounterState>(new CounterState { Value = 1 }));
        var query = await Sql.ScalarAsync<string>(server.ConnectionString,
            "SELECT querytext FROM orleansquery WHERE querykey = 'WriteToStorageKey'");

        // The contract asks for a NULL row rather than no row; parameters typed as Orleans sends them.
        async Task<List<int?>> WriteAsync(int? etag) => await Sql.ListAsync<int?>(server.ConnectionString, query,
            ("GrainIdHash", 0), ("GrainTypeHash", 0), ("GrainIdN0", 0L), ("GrainIdN1", 0L),
            ("GrainTypeString", StateName), ("GrainIdExtensionString", "u:gina"), ("ServiceId", _serviceId),
            ("GrainStateVersion", new NpgsqlParameter { DbType = DbType.Int32, Value = (object?)etag ?? DBNull.Value }),
            ("PayloadBinary", """{"Value":9}"""u8.ToArray()));

        Assert.Equal([null], await WriteAsync(etag: null));   // first insert, but the row exists
        Assert.Equal([null], await WriteAsync(etag: 7));      // stale ETag
        Assert.Equal([2], await WriteAsync(etag: 1));         // current ETag
        Assert.Equal(9, JsonDocument.Parse((await RowAsync("u:gina")).Payload!).RootElement.GetProperty("Value").GetInt32());
    }

    [Fact]
    public async Task Clear_keeps_the_row_without_payload_under_a_new_etag()
    {
        var grain = StringGrain("u:dave");
        var state = new GrainState<CounterState>(new CounterState { Value = 5 });
        await _storage.WriteStateAsync(StateName, grain, state);
        var stale = new GrainState<CounterState>(new CounterState(), state.ETag) { RecordExists = true };

        await _storage.ClearStateAsync(StateName, grain, state);                         // ClearStorageKey

        Assert.Equal("2", state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0, state.State!.Value);
        var row = await RowAsync("u:dave");
        Assert.Null(row.Payload);
        Assert.Equal(2, row.Version);

        // A new activation reads "no record" but the row's version as its ETag, and can write again.
        var reread = new GrainState<CounterState>();
        await _storage.ReadStateAsync(StateName, grain, reread);
        Assert.False(reread.RecordExists);
        Assert.Equal("2", reread.ETag);
        reread.State!.Value = 6;
        await _storage.WriteStateAsync(StateName, grain, reread);
        Assert.Equal("3", reread.ETag);

        // Clearing with an outdated ETag is a conflict and leaves the state alone.
        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(StateName, grain, stale));
        Assert.NotNull((await RowAsync("u:dave")).Payload);
    }

    [Fact]
    public async Task Clear_without_an_etag_of_an_existing_row_is_a_conflict()
    {
        var grain = StringGrain("u:erin");
        await _storage.WriteStateAsync(StateName, grain, new GrainState<CounterState>(new CounterState { Value = 1 }));
        var unaware = new GrainState<CounterState>(new CounterState(), eTag: null) { RecordExists = true };

        await Assert.ThrowsAsync<InconsistentStateException>(() => _storage.ClearStateAsync(StateName, grain, unaware));

        Assert.NotNull((await RowAsync("u:erin")).Payload);
    }

    [Fact]
    public async Task Delete_on_clear_removes_the_row_and_a_later_write_starts_over()
    {
        var storage = await CreateStorageAsync(deleteStateOnClear: true);
        var grain = StringGrain("u:frank");
        var state = new GrainState<CounterState>(new CounterState { Value = 3 });
        await storage.WriteStateAsync(StateName, grain, state);
        var stale = new GrainState<CounterState>(new CounterState(), state.ETag) { RecordExists = true };

        await storage.ClearStateAsync(StateName, grain, state);                          // DeleteStorageKey

        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(server.ConnectionString,
            "SELECT count(*) FROM orleans_storage WHERE service_id = @s", ("s", _serviceId)));

        state.State!.Value = 4;
        await storage.WriteStateAsync(StateName, grain, state);                          // insert again
        Assert.Equal("1", state.ETag);
        state.State!.Value = 5;
        await storage.WriteStateAsync(StateName, grain, state);
        Assert.Equal("2", state.ETag);

        // A copy still holding an ETag of an older version cannot delete the newer state.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync(StateName, grain, stale));
        var row = await RowAsync("u:frank");
        Assert.Equal(2, row.Version);
        Assert.Equal(5, JsonDocument.Parse(row.Payload!).RootElement.GetProperty("Value").GetInt32());
    }

    [Fact]
    public async Task Guid_integer_and_string_keys_fill_the_documented_columns_and_stay_apart()
    {
        var guid = Guid.NewGuid();
        var bytes = guid.ToByteArray();
        await _storage.WriteStateAsync(StateName, GuidGrain(guid, "shard-1"), new GrainState<CounterState>(new CounterState { Value = 1 }));
        await _storage.WriteStateAsync(StateName, IntegerGrain(42, extension: null), new GrainState<CounterState>(new CounterState { Value = 2 }));
        await _storage.WriteStateAsync(StateName, IntegerGrain(42, extension: "x"), new GrainState<CounterState>(new CounterState { Value = 3 }));
        await _storage.WriteStateAsync("other-state", IntegerGrain(42, extension: null), new GrainState<CounterState>(new CounterState { Value = 4 }));

        var rows = await Sql.ListAsync<string>(server.ConnectionString,
            """
            SELECT concat_ws('|', grain_type, grain_id_n0, grain_id_n1, coalesce(grain_id_extension, '<null>'), payload ->> 'Value')
            FROM orleans_storage WHERE service_id = @s ORDER BY 1
            """, ("s", _serviceId));

        Assert.Equal(
            new[]
            {
                $"counter|0|42|<null>|2",
                $"counter|0|42|x|3",
                $"counter|{BitConverter.ToInt64(bytes, 0)}|{BitConverter.ToInt64(bytes, 8)}|shard-1|1",
                $"other-state|0|42|<null>|4",
            }.Order(StringComparer.Ordinal),
            rows.Order(StringComparer.Ordinal));

        var read = new GrainState<CounterState>();
        await _storage.ReadStateAsync(StateName, IntegerGrain(42, extension: "x"), read);
        Assert.Equal(3, read.State!.Value);
    }

    private async Task<AdoNetGrainStorage> CreateStorageAsync(bool deleteStateOnClear)
    {
        var options = new AdoNetGrainStorageOptions
        {
            Invariant = "Npgsql",
            ConnectionString = server.ConnectionString,
            DeleteStateOnClear = deleteStateOnClear,
            GrainStorageSerializer = new SystemTextJsonGrainStorageSerializer(
                Options.Create(new SystemTextJsonGrainStorageSerializerOptions())),
        };
        var storage = new AdoNetGrainStorage(
            _services.GetRequiredService<IActivatorProvider>(),
            NullLogger<AdoNetGrainStorage>.Instance,
            Options.Create(options),
            Options.Create(new ClusterOptions { ClusterId = "storage-tests", ServiceId = _serviceId }),
            "pg");

        // The provider loads its queries in its silo lifecycle stage; run that stage here.
        var lifecycle = new SiloLifecycleSubject(NullLogger<SiloLifecycleSubject>.Instance);
        storage.Participate(lifecycle);
        await lifecycle.OnStart();
        return storage;
    }

    private async Task<(long N0, long N1, string? Extension, int Version, string? Payload, string PayloadType)> RowAsync(string extension)
    {
        var rows = await Sql.ListAsync<string?[]>(server.ConnectionString,
            """
            SELECT ARRAY[grain_id_n0::text, grain_id_n1::text, grain_id_extension, version::text, payload::text, pg_typeof(payload)::text]
            FROM orleans_storage WHERE service_id = @s AND grain_id_extension = @e
            """, ("s", _serviceId), ("e", extension));
        var row = Assert.Single(rows);
        return (long.Parse(row[0]!), long.Parse(row[1]!), row[2], int.Parse(row[3]!), row[4], row[5]!);
    }

    private static GrainId StringGrain(string key) => GrainId.Create("counter-grain", key);

    private static GrainId IntegerGrain(long key, string? extension) =>
        GrainId.Create(GrainType.Create("counter-grain"), GrainIdKeyExtensions.CreateIntegerKey(key, extension));

    private static GrainId GuidGrain(Guid key, string? extension) =>
        GrainId.Create(GrainType.Create("counter-grain"), GrainIdKeyExtensions.CreateGuidKey(key, extension));

    /// <summary>A plain state class: no Orleans serialization attributes, as JSON storage allows.</summary>
    public sealed class CounterState
    {
        public int Value { get; set; }

        public List<string> History { get; set; } = [];
    }
}
