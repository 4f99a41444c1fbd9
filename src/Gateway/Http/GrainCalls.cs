using System.Data.Common;

namespace CliProxy.Gateway.Http;

/// <summary>
/// Grain calls that survive the loss of a silo: a call that fails because its silo died is
/// retried once (the grain is then activated on a surviving silo). Reads and idempotent writes
/// retry on any such failure; other writes only when the request certainly did not run, which
/// includes every refusal of a silo that stops gracefully (a rolling restart fails no write).
/// A call that certainly did not run is sent again up to <see cref="UndeliveredAttempts"/> times in
/// all, after 100, 200, 400 ms: while a silo stops, the client may route the next attempt to it again.
/// </summary>
public static class GrainCalls
{
    /// <summary>Attempts in all for a call refused before delivery (about 0.7 s of back-off in all).</summary>
    public const int UndeliveredAttempts = 4;

    private static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs a read (or an idempotent write), retrying after a transient cluster failure (see the class).</summary>
    /// <param name="call">The grain call; invoked again for each attempt.</param>
    /// <param name="time">Clock of the back-off delays (default: the system's).</param>
    public static Task<T> Idempotent<T>(Func<Task<T>> call, TimeProvider? time = null) => RunAsync(call, mayHaveRun: true, time ?? TimeProvider.System);

    /// <summary>Runs a write that must not run twice, retrying only when it certainly did not run (<see cref="IsUndelivered"/>).</summary>
    /// <param name="call">The grain call; invoked again for each attempt.</param>
    /// <param name="time">Clock of the back-off delays (default: the system's).</param>
    public static Task<T> Once<T>(Func<Task<T>> call, TimeProvider? time = null) => RunAsync(call, mayHaveRun: false, time ?? TimeProvider.System);

    private static async Task<T> RunAsync<T>(Func<Task<T>> call, bool mayHaveRun, TimeProvider time)
    {
        var undelivered = 0;
        var backOff = FirstBackOff;
        for (var retriedOther = false; ; )
        {
            try
            {
                return await call();
            }
            catch (Exception e) when (IsUndelivered(e) && ++undelivered < UndeliveredAttempts)
            {
                await Task.Delay(backOff, time);
                backOff *= 2;
            }
            catch (Exception e) when (mayHaveRun && !retriedOther && IsTransient(e))
            {
                // A failure after which the request may have run (a silo died, a timeout): one more try,
                // at once; more would multiply the response timeout.
                retriedOther = true;
            }
        }
    }

    /// <summary>
    /// True when the request certainly did not run, so that even a write that must not run twice may
    /// be sent again: Orleans rejected it before delivery (no connection, the target known dead), a silo
    /// refused it unprocessed (<see cref="SiloUnavailableException"/> "Silo unavailable"), or a silo that
    /// stops gracefully refused to place the grain ("Silo '…' is shutting down."; the grain is placed on
    /// another silo next time). Not for the two <see cref="SiloUnavailableException"/>s Orleans raises for
    /// a request already on its way (its silo died, or this process stops): it may have run.
    /// </summary>
    public static bool IsUndelivered(Exception e) => e switch
    {
        SiloUnavailableException s => s.Message == "Silo unavailable"
                                      || (s.Message.StartsWith("Silo '", StringComparison.Ordinal) && s.Message.EndsWith("' is shutting down.", StringComparison.Ordinal)),
        OrleansMessageRejectionException => true,
        _ => false,
    };

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
