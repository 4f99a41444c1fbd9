using CliProxy.Gateway.Hosting;

namespace CliProxy.Gateway.Mirrors;

/// <summary>
/// This node's copy of one grain's versioned state, so that serving a request costs no grain call.
/// The copy follows the grain four ways: (1) pushes — the grain tells its subscribers every change,
/// either as the whole new state (<see cref="Offer"/>) or as a change from one version to the next
/// (<see cref="Apply"/>); (2) a version check every <see cref="Interval"/> that reads the state again
/// when the versions differ (a push can be lost, e.g. when the grain moves to another silo and
/// forgets its subscribers); (3) the subscription is renewed every <see cref="Renewal"/> and at
/// once after a missed push, before the state is read again, so no change falls between the read
/// and the subscription; (4) <see cref="Invalidate"/> (the cluster connection was lost, see
/// <see cref="ClusterConnectionWatch"/>): the copy is no longer trusted until read again.
/// </summary>
/// <remarks>
/// Readers call <see cref="GetAsync"/> (the fresh copy, else one shared read from the grain) or
/// <see cref="Fresh"/> (the fresh copy or null, never a grain call). A pass that fails is retried on
/// the next tick by <see cref="PeriodicBackgroundService"/> and subscribes again.
/// </remarks>
/// <typeparam name="TState">The node's form of the state (immutable, or changed only through <see cref="Apply"/>).</typeparam>
/// <param name="time">Clock of the checks and renewals.</param>
/// <param name="logger">Where failed passes are reported.</param>
public abstract partial class GrainStateMirror<TState>(TimeProvider time, ILogger logger)
    : PeriodicBackgroundService(time, logger), IGrainStateMirror where TState : class
{
    /// <summary>How often the subscription is renewed (the grains forget a subscriber after 5 minutes).</summary>
    public static readonly TimeSpan Renewal = TimeSpan.FromMinutes(1);

    /// <summary>Default time between two version checks.</summary>
    public static readonly TimeSpan DefaultVersionCheck = TimeSpan.FromSeconds(1);

    private readonly Lock _gate = new();
    private volatile Copy? _copy;
    private volatile bool _stale;
    private long _invalidations;
    private long _changes;
    private Task<TState>? _reading;
    private DateTimeOffset _renewAt = DateTimeOffset.MinValue;

    /// <summary>The copy and the grain's version it reflects.</summary>
    private sealed record Copy(long Version, TState State);

    /// <summary>The grain's current version (a cheap call).</summary>
    protected abstract Task<long> ReadVersionAsync();

    /// <summary>The grain's current state and its version (may be a large call).</summary>
    protected abstract Task<(long Version, TState State)> ReadStateAsync();

    /// <summary>Registers this node with the grain for pushes, or renews that registration.</summary>
    protected abstract Task SubscribeAsync();

    /// <summary>Ends the registration (at shutdown; best effort). Default: nothing.</summary>
    protected virtual Task UnsubscribeAsync() => Task.CompletedTask;

    /// <summary>
    /// Whether a failed pass also drops the trust in the copy (default false: a copy keeps being
    /// served while the grain is unreachable; a mirror whose stale answers are unsafe overrides this).
    /// </summary>
    protected virtual bool InvalidateOnFailedPass => false;

    /// <inheritdoc />
    protected override TimeSpan Interval => DefaultVersionCheck;

    /// <summary>The copy if it is trusted (none yet, or invalidated: null). Never calls a grain.</summary>
    public TState? Fresh => _stale ? null : _copy?.State;

    /// <summary>
    /// The copy, trusted or not (null before the first read). Never calls a grain. For readers to whom
    /// an old copy is better than none (e.g. cooldowns: a block seen is still a block while the cluster is
    /// out of reach).
    /// </summary>
    public TState? Latest => _copy?.State;

    /// <summary>The grain's version the copy reflects, or null before the first read.</summary>
    public long? Version => _copy?.Version;

    /// <summary>The trusted copy, else the state read from the grain now (one read shared by concurrent callers).</summary>
    public ValueTask<TState> GetAsync() => !_stale && _copy is { } copy ? new(copy.State) : new(RefreshAsync());

    /// <inheritdoc />
    public void Invalidate()
    {
        lock (_gate) MarkStale();
    }

    /// <summary>
    /// Reads the state from the grain and adopts it; a read already in flight is shared. The copy
    /// is trusted again unless it was invalidated while the read was on its way.
    /// </summary>
    public Task<TState> RefreshAsync()
    {
        lock (_gate)
        {
            if (_reading is { } shared) return shared;
            var read = ReadAndAdopt();
            // A read that completed at once has already left the lock's state as it found it.
            if (!read.IsCompleted) _reading = read;
            return read;
        }
    }

    /// <summary>Adopts the whole state <paramref name="state"/> of <paramref name="version"/> if it is newer than the copy (versions only grow).</summary>
    protected void Offer(long version, TState state)
    {
        lock (_gate)
        {
            if (_copy is { } copy && copy.Version >= version) return;
            _copy = new Copy(version, state);
            _changes++;
        }
    }

    /// <summary>
    /// Applies a pushed change from version <paramref name="from"/> to <paramref name="to"/>: when the
    /// copy is at <paramref name="from"/>, <paramref name="change"/> makes the next state (it runs
    /// under the mirror's lock and must not block); a change the copy already has is ignored; when
    /// the copy is at another version a push was missed, and the copy is read again.
    /// </summary>
    protected void Apply(long from, long to, Func<TState, TState> change)
    {
        lock (_gate)
        {
            if (_copy is not { } copy || to <= copy.Version) return;
            if (copy.Version != from)
            {
                MarkStale();
                return;
            }
            _copy = new Copy(to, change(copy.State));
            _changes++;
        }
    }

    /// <inheritdoc />
    protected override async Task RunPassAsync(CancellationToken stoppingToken)
    {
        var now = Time.GetUtcNow();
        if (now < _renewAt && Fresh is not null && await ReadVersionAsync() == _copy!.Version) return;
        // Renewal due, or behind: subscribe first, so no change falls between the read and the subscription.
        await SubscribeAsync();
        _renewAt = now + Renewal;
        if (Fresh is null || await ReadVersionAsync() != _copy!.Version) await RefreshAsync();
    }

    /// <inheritdoc />
    /// <remarks>Subscribe again on the next pass.</remarks>
    protected override void OnPassFailed(Exception exception)
    {
        _renewAt = DateTimeOffset.MinValue;
        if (InvalidateOnFailedPass) Invalidate();
    }

    /// <inheritdoc />
    /// <remarks>Unsubscribes (waiting 2 s at most); a second stop finds nothing left to do.</remarks>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        try
        {
            await UnsubscribeAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        }
        catch (Exception e)
        {
            LogUnsubscribeFailed(Logger, GetType().Name, e.Message);
        }
        await base.StopAsync(cancellationToken);
    }

    private void MarkStale()
    {
        _stale = true;
        _invalidations++;
    }

    private async Task<TState> ReadAndAdopt()
    {
        long invalidations, changes;
        lock (_gate) (invalidations, changes) = (_invalidations, _changes);
        try
        {
            var (version, state) = await ReadStateAsync();
            lock (_gate)
            {
                // A push applied meanwhile may be newer than this read; otherwise the grain is right, even if its version went down.
                if (_copy is not { } copy || changes == _changes || version >= copy.Version) _copy = new Copy(version, state);
                if (invalidations == _invalidations) _stale = false;
                return _copy.State;
            }
        }
        finally
        {
            lock (_gate) _reading = null;
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Mirror}: unsubscribe failed: {Error}")]
    private static partial void LogUnsubscribeFailed(ILogger logger, string mirror, string error);
}
