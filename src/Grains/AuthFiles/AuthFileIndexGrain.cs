using System.Collections.Immutable;
using CliProxy.Abstractions.AuthFiles;
using CliProxy.Domain.AuthFiles;

namespace CliProxy.Grains.AuthFiles;

/// <summary>
/// The credential index (see <see cref="IAuthFileIndexGrain"/>). It is derived, not stored: on
/// activation it loads every credential from the <see cref="IAuthFileCatalog"/>, then follows the
/// auth-file grains' updates in memory, and (cluster mode) re-reads the catalog periodically to
/// repair an update lost to a failure. Listing returns a sorted array built once per change, so
/// a list of 10,000 credentials is one call and no per-file work.
/// </summary>
[KeepAlive]
public sealed class AuthFileIndexGrain(IAuthFileCatalog catalog) : Grain, IAuthFileIndexGrain
{
    private static readonly IComparer<string> Order = Comparer<string>.Create((a, b) =>
    {
        var c = string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
        return c != 0 ? c : string.CompareOrdinal(a, b);
    });

    private Dictionary<string, AuthFileSummary> _files = new(StringComparer.Ordinal);
    private ImmutableArray<AuthFileSummary>? _sorted;

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _files = await catalog.LoadAsync(cancellationToken);
        if (catalog.ReconcileEvery is { } period)
            this.RegisterGrainTimer(Reconcile, new GrainTimerCreationOptions(period, period));
    }

    /// <inheritdoc />
    public Task<ImmutableArray<AuthFileSummary>> List()
    {
        _sorted ??= _files.Values.OrderBy(s => s.Name, Order).ToImmutableArray();
        return Task.FromResult(_sorted.Value);
    }

    /// <inheritdoc />
    public Task<AuthFileSummary?> Find(string name) => Task.FromResult(_files.GetValueOrDefault(name));

    /// <inheritdoc />
    public Task Upsert(AuthFileSummary summary)
    {
        if (!_files.TryGetValue(summary.Name, out var existing) || existing != summary)
        {
            _files[summary.Name] = summary;
            _sorted = null;
        }
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Remove(string name)
    {
        if (_files.Remove(name)) _sorted = null;
        return Task.CompletedTask;
    }

    // A timer turn does not interleave with updates: one that arrives during the load is applied after it.
    private async Task Reconcile(CancellationToken cancellationToken)
    {
        _files = await catalog.LoadAsync(cancellationToken);
        _sorted = null;
    }
}
