using System.Buffers;
using System.Text.Json;
using CliProxy.Abstractions.Usage;
using CliProxy.Domain.Usage;
using CliProxy.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CliProxy.Grains.Usage;

/// <summary>
/// The single owner of the usage statistics (see <see cref="IUsageGrain"/>). Its state (aggregates
/// and the last batch of each node) and the details live in an <see cref="IUsageStore"/>, changed
/// in one transaction per batch; the state in memory is replaced only after that transaction
/// committed. It also keeps the newest <see cref="UsageStoreOptions.RecentDetails"/> details in
/// memory for <c>GET /usage</c> and renders that answer once per change.
/// </summary>
public sealed partial class UsageGrain(
    IUsageStore store,
    IOptions<UsageStoreOptions> options,
    [FromKeyedServices(GrainServiceKeys.Clock)] TimeProvider time,
    ILogger<UsageGrain> logger) : Grain, IUsageGrain
{
    private const int ChunkBytes = 64 * 1024;
    private static readonly TimeSpan PurgeInterval = TimeSpan.FromHours(1);

    private readonly UsageStoreOptions _options = options.Value;
    private UsageState _state = new();
    private long _version;
    private long _lastId;
    private RecentDetails _recent = null!;
    private UsageSnapshotJson? _snapshot;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await ReloadAsync(cancellationToken);
        if (_options.DetailRetention > TimeSpan.Zero)
            this.RegisterGrainTimer(PurgeAsync, new GrainTimerCreationOptions { DueTime = TimeSpan.FromSeconds(5), Period = PurgeInterval });
    }

    /// <inheritdoc />
    public async Task<UsageBatchResult> Record(UsageBatch batch)
    {
        if (_state.Applied.TryGetValue(batch.Node, out var applied) && applied.Sequence >= batch.Sequence)
            return new UsageBatchResult(0, 0, AlreadyApplied: true);
        var inserted = await CommitAsync(batch.Details, (batch.Node, batch.Sequence));
        return new UsageBatchResult(inserted, batch.Details.Length - inserted, AlreadyApplied: false);
    }

    /// <inheritdoc />
    public async Task<UsageImportResult> Import(UsageImportChunk chunk)
    {
        var cutoff = _options.DetailRetention > TimeSpan.Zero ? time.GetUtcNow() - _options.DetailRetention : DateTimeOffset.MinValue;
        var kept = chunk.Details.Where(d => d.Timestamp.Instant >= cutoff).ToList();
        var added = await CommitAsync(kept, null);
        return new UsageImportResult(added, chunk.Details.Length - added, _state.Totals.TotalRequests, _state.Totals.FailureCount);
    }

    /// <inheritdoc />
    public Task<UsageSnapshotJson> GetSnapshot() =>
        Task.FromResult(_snapshot ??= new UsageSnapshotJson(_state.Totals.FailureCount, UsageJson.Snapshot(_state.Totals, _recent.Items())));

    /// <inheritdoc />
    public Task<UsageSnapshotJson> GetDayHours() =>
        Task.FromResult(new UsageSnapshotJson(_state.Totals.FailureCount, UsageJson.DayHours(_state.Totals)));

    /// <inheritdoc />
    public async IAsyncEnumerable<UsageJsonChunk> Export()
    {
        // The aggregates and the newest detail id as of now: details stored later are not part of this export.
        var (totals, upTo) = (_state.Totals, _lastId);
        var buffer = new ArrayBufferWriter<byte>(ChunkBytes * 2);
        await using var w = new Utf8JsonWriter(buffer, UsageJson.WriterOptions);
        w.WriteStartObject();
        w.WriteNumber("version", 1);
        w.WriteString("exported_at", UsageTimestamp.From(time.GetUtcNow(), TimeZoneInfo.Utc).Text);
        w.WritePropertyName("usage");
        UsageJson.WriteStart(w, totals);
        foreach (var (apiName, api) in totals.Apis)
        {
            UsageJson.WriteApiStart(w, apiName, api);
            foreach (var (modelName, model) in api.Models)
            {
                UsageJson.WriteModelStart(w, modelName, model);
                for (long after = 0; ;)
                {
                    var page = await store.PageAsync(apiName, modelName, after, upTo, _options.ExportPageSize, CancellationToken.None);
                    foreach (var row in page) UsageJson.WriteDetail(w, row.Detail);
                    if (Take(w, buffer) is { } chunk) yield return chunk;
                    if (page.Count == 0) break;
                    after = page[^1].Id;
                }
                UsageJson.WriteModelEnd(w);
            }
            UsageJson.WriteApiEnd(w);
        }
        UsageJson.WriteEnd(w, totals);
        w.WriteEndObject();
        await w.FlushAsync();
        yield return new UsageJsonChunk(buffer.WrittenSpan.ToArray());
    }

    /// <summary>The written bytes once there are enough for a chunk (the buffer is then emptied), else null.</summary>
    private static UsageJsonChunk? Take(Utf8JsonWriter w, ArrayBufferWriter<byte> buffer)
    {
        if (w.BytesPending + buffer.WrittenCount < ChunkBytes) return null;
        w.Flush();
        var chunk = new UsageJsonChunk(buffer.WrittenSpan.ToArray());
        buffer.ResetWrittenCount();
        return chunk;
    }

    /// <summary>Stores and counts those of <paramref name="details"/> not stored yet (of equal ones in the list, the first); returns how many.</summary>
    private async Task<int> CommitAsync(IReadOnlyList<UsageDetail> details, (Guid Node, long Sequence)? mark)
    {
        UsageState Next(IReadOnlyList<UsageDetail> inserted)
        {
            var next = _state.Clone();
            foreach (var d in inserted) next.Totals.Add(d);
            if (mark is { } m) next.MarkApplied(m.Node, m.Sequence, time.GetUtcNow());
            return next;
        }

        UsageCommit commit;
        try
        {
            commit = await store.CommitAsync(details, Next, _version, CancellationToken.None);
        }
        catch (UsageStateConflictException)
        {
            // Another activation of this grain wrote meanwhile (a moment of a failover): adopt what it stored, then apply ours.
            LogConflict(logger);
            await ReloadAsync(CancellationToken.None);
            if (mark is { } m && _state.Applied.TryGetValue(m.Node, out var applied) && applied.Sequence >= m.Sequence) return 0;
            commit = await store.CommitAsync(details, Next, _version, CancellationToken.None);
        }
        (_state, _version, _lastId) = (commit.State, commit.Version, commit.LastId);
        _recent.AddRange(commit.Inserted);
        _snapshot = null;
        return commit.Inserted.Count;
    }

    private async Task ReloadAsync(CancellationToken cancellationToken)
    {
        (_state, _version) = await store.LoadAsync(cancellationToken);
        _lastId = await store.LastIdAsync(cancellationToken);
        _recent = new RecentDetails(_options.RecentDetails);
        if (_options.RecentDetails > 0) _recent.AddRange(await store.RecentAsync(_options.RecentDetails, cancellationToken));
        _snapshot = null;
    }

    private async Task PurgeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var removed = await store.PurgeAsync(time.GetUtcNow() - _options.DetailRetention, cancellationToken);
            if (removed > 0) LogPurged(logger, removed, _options.DetailRetention);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            LogPurgeFailed(logger, e);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage state was written by another activation; reloaded it and applied the batch again")]
    private static partial void LogConflict(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage details: deleted {Count} older than {Retention}")]
    private static partial void LogPurged(ILogger logger, long count, TimeSpan retention);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Usage details: deleting old details failed; tried again in an hour")]
    private static partial void LogPurgeFailed(ILogger logger, Exception exception);
}
