namespace CliProxy.Gateway.Mirrors;

/// <summary>
/// The Orleans object reference through which a grain pushes to a mirror: made once, on first use
/// (a cluster client can only make it once connected), and deleted when released.
/// </summary>
/// <typeparam name="TObserver">The observer interface the mirror implements.</typeparam>
/// <param name="grains">The grain factory that makes and deletes the reference.</param>
public sealed class ObserverRegistration<TObserver>(IGrainFactory grains) where TObserver : class, IGrainObserver
{
    private TObserver? _reference;

    /// <summary>The reference of <paramref name="target"/> (made on the first call; later calls return the same).</summary>
    public TObserver For(TObserver target)
    {
        if (Volatile.Read(ref _reference) is { } made) return made;
        var reference = grains.CreateObjectReference<TObserver>(target);
        return Interlocked.CompareExchange(ref _reference, reference, null) ?? reference;
    }

    /// <summary>
    /// Calls <paramref name="unsubscribe"/> with the reference and deletes it; nothing when no
    /// reference was made or it was already released. Exceptions of <paramref name="unsubscribe"/>
    /// propagate after the reference is deleted.
    /// </summary>
    public async Task ReleaseAsync(Func<TObserver, Task> unsubscribe)
    {
        if (Interlocked.Exchange(ref _reference, null) is not { } reference) return;
        try
        {
            await unsubscribe(reference);
        }
        finally
        {
            grains.DeleteObjectReference<TObserver>(reference);
        }
    }
}
