using System.Data.Common;

namespace CliProxy.Gateway.Http;

/// <summary>
/// Grain calls that survive the loss of a silo: a call that fails because its silo died is
/// retried once (the grain is then activated on a surviving silo). Reads and idempotent writes
/// retry on any such failure; other writes only when the request was certainly not delivered.
/// </summary>
public static class GrainCalls
{
    /// <summary>Runs a read (or an idempotent write), retrying once after a transient cluster failure.</summary>
    public static async Task<T> Idempotent<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (Exception e) when (IsTransient(e))
        {
            return await call();
        }
    }

    /// <summary>Runs a write that must not run twice, retrying once only when it was rejected before delivery.</summary>
    public static async Task<T> Once<T>(Func<Task<T>> call)
    {
        try
        {
            return await call();
        }
        catch (OrleansMessageRejectionException)
        {
            return await call();
        }
    }

    /// <summary>
    /// True for failures caused by a silo, connection or database being unavailable. A database
    /// exception raised in a remote silo cannot be carried back (Orleans has no codec for it) and
    /// arrives as <see cref="Orleans.Serialization.CodecNotFoundException"/>; it counts too.
    /// </summary>
    public static bool IsTransient(Exception e) => e switch
    {
        SiloUnavailableException or OrleansMessageRejectionException or TimeoutException or DbException => true,
        Orleans.Serialization.CodecNotFoundException => true,
        Orleans.Runtime.Messaging.ConnectionFailedException => true,
        AggregateException a => a.InnerExceptions.Any(IsTransient),
        _ => e.InnerException is { } inner && IsTransient(inner),
    };
}
