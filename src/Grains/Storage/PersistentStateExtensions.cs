namespace CliProxy.Grains.Storage;

/// <summary>
/// "Compute the new state on a copy, store it, then swap": the one way grains change persisted
/// state, so that a failed write never leaves in memory a state that storage does not have.
/// </summary>
public static class PersistentStateExtensions
{
    /// <summary>
    /// Stores <paramref name="next"/> (a new object, never the current one changed in place) as the
    /// state. When the write fails the previous state object is put back and the storage exception
    /// is rethrown, so the grain keeps answering with what storage holds.
    /// </summary>
    public static async Task StoreAsync<T>(this IPersistentState<T> state, T next)
    {
        var previous = state.State;
        if (ReferenceEquals(previous, next)) throw new ArgumentException("store a new state object, not the current one changed in place", nameof(next));
        state.State = next;
        try
        {
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }
    }
}
