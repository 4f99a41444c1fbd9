using System.Collections.Immutable;
using CliProxy.Abstractions.AuthFiles;
using CliProxy.Domain.AuthFiles;
using CliProxy.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace CliProxy.Grains.AuthFiles;

/// <summary>
/// The credential index (see <see cref="IAuthFileIndexGrain"/>). It is derived, not stored: on
/// activation it loads every credential from the <see cref="IAuthFileCatalog"/>, then follows the
/// auth-file grains' updates in memory, and (cluster mode) re-reads the catalog periodically to
/// repair an update lost to a failure. Listing returns a sorted array built once per change, so
/// a list of 10,000 credentials is one call and no per-file work. Each change (an update, or what a
/// re-read found different) is one new version, pushed to the subscribers as one
/// <see cref="AuthFileIndexChange"/>.
/// </summary>
[KeepAlive]
public sealed class AuthFileIndexGrain(
    IAuthFileCatalog catalog,
    [FromKeyedServices(GrainServiceKeys.Clock)] TimeProvider time,
    ILogger<AuthFileIndexGrain> logger) : Grain, IAuthFileIndexGrain
{
    private static readonly IComparer<string> Order = Comparer<string>.Create((a, b) =>
    {
        var c = string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
        return c != 0 ? c : string.CompareOrdinal(a, b);
    });

    private readonly ObserverManager<IAuthFileIndexObserver> _observers = new(TimeSpan.FromMinutes(5), logger);
    private Dictionary<string, AuthFileSummary> _files = new(StringComparer.Ordinal);
    private ImmutableArray<AuthFileSummary>? _sorted;
    private long _version;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _files = await catalog.LoadAsync(cancellationToken);
        _version = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
        if (catalog.ReconcileEvery is { } period)
            this.RegisterGrainTimer(Reconcile, new GrainTimerCreationOptions(period, period));
    }

    /// <inheritdoc />
    public Task<ImmutableArray<AuthFileSummary>> List() => Task.FromResult(Sorted());

    /// <inheritdoc />
    public Task<AuthFileSummary?> Find(string name) => Task.FromResult(_files.GetValueOrDefault(name));

    /// <inheritdoc />
    public Task<AuthFileIndexSnapshot> GetSnapshot() => Task.FromResult(new AuthFileIndexSnapshot(_version, Sorted()));

    /// <inheritdoc />
    public Task<long> GetVersion() => Task.FromResult(_version);

    /// <inheritdoc />
    public Task Upsert(AuthFileSummary summary)
    {
        if (!_files.TryGetValue(summary.Name, out var existing) || existing != summary)
        {
            _files[summary.Name] = summary;
            Publish([summary], []);
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Remove(string name)
    {
        if (_files.Remove(name)) Publish([], [name]);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Subscribe(IAuthFileIndexObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Unsubscribe(IAuthFileIndexObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private ImmutableArray<AuthFileSummary> Sorted() => _sorted ??= _files.Values.OrderBy(s => s.Name, Order).ToImmutableArray();

    /// <summary>Moves to the next version and pushes the change (one-way: a lost push is caught by the subscriber's version check).</summary>
    private void Publish(ImmutableArray<AuthFileSummary> upserted, ImmutableArray<string> removed)
    {
        _sorted = null;
        var change = new AuthFileIndexChange(_version, _version + 1, upserted, removed);
        _version = change.To;
        _ = _observers.Notify(o => o.OnIndexChanged(change));
    }

    // A timer turn does not interleave with updates: one that arrives during the load is applied after it.
    private async Task Reconcile(CancellationToken cancellationToken)
    {
        var loaded = await catalog.LoadAsync(cancellationToken);
        var upserted = loaded.Values.Where(s => !_files.TryGetValue(s.Name, out var known) || known != s).ToImmutableArray();
        var removed = _files.Keys.Where(name => !loaded.ContainsKey(name)).ToImmutableArray();
        _files = loaded;
        if (upserted.Length > 0 || removed.Length > 0) Publish(upserted, removed);
    }
}
