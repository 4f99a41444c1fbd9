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
    public async Task Upsert(AuthFileSummary summary)
    {
        if (state.State.Files.TryGetValue(summary.Name, out var existing) && existing == summary) return;
        state.State.Files[summary.Name] = summary;
        _sorted = null;
        await state.WriteStateAsync();
    }

    /// <inheritdoc />
    public async Task Remove(string name)
    {
        if (!state.State.Files.Remove(name)) return;
        _sorted = null;
        await state.WriteStateAsync();
    }
}
