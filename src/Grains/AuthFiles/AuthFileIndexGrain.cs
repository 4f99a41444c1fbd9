using System.Collections.Immutable;
using CliProxy.Abstractions.AuthFiles;

namespace CliProxy.Grains.AuthFiles;

/// <summary>
/// The credential index (see <see cref="IAuthFileIndexGrain"/>). Listing returns a sorted array
/// built once per change, so a list of 10,000 credentials is one call and no per-file work.
/// </summary>
[KeepAlive]
public sealed class AuthFileIndexGrain(
    [PersistentState("auth-index", StorageNames.AuthIndex)] IPersistentState<AuthFileIndexState> state) : Grain, IAuthFileIndexGrain
{
    private static readonly IComparer<string> Order = Comparer<string>.Create((a, b) =>
    {
        var c = string.Compare(a, b, StringComparison.OrdinalIgnoreCase);
        return c != 0 ? c : string.CompareOrdinal(a, b);
    });

    private ImmutableArray<AuthFileSummary>? _sorted;

    /// <inheritdoc />
    public Task<ImmutableArray<AuthFileSummary>> List()
    {
        _sorted ??= state.State.Files.Values.OrderBy(s => s.Name, Order).ToImmutableArray();
        return Task.FromResult(_sorted.Value);
    }

    /// <inheritdoc />
    public Task<AuthFileSummary?> Find(string name) => Task.FromResult(state.State.Files.GetValueOrDefault(name));

    /// <inheritdoc />
    public Task Upsert(AuthFileSummary summary) => Change(files =>
    {
        if (files.TryGetValue(summary.Name, out var existing) && existing == summary) return false;
        files[summary.Name] = summary;
        return true;
    });

    /// <inheritdoc />
    public Task Remove(string name) => Change(files => files.Remove(name));

    /// <summary>
    /// Applies <paramref name="change"/> and stores the index. If another activation wrote meanwhile
    /// (a silo failover can briefly leave two), the stored index is read again and the change re-applied.
    /// </summary>
    private async Task Change(Func<Dictionary<string, AuthFileSummary>, bool> change)
    {
        if (!change(state.State.Files)) return;
        _sorted = null;
        try
        {
            await state.WriteStateAsync();
        }
        catch (Orleans.Storage.InconsistentStateException)
        {
            await state.ReadStateAsync();
            change(state.State.Files);
            _sorted = null;
            await state.WriteStateAsync();
        }
    }
}
