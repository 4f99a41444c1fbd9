using System.Data.Common;

namespace CliProxy.Abstractions.Calls;

/// <summary>
/// How a failed grain call failed, as far as sending it again is concerned: whether the cause is
/// transient (a silo, connection or database unavailable), and whether the call certainly did not run.
/// </summary>
public static class CallFailures
{
    /// <summary>
    /// True when the request certainly did not run, so that even a call that must not run twice may
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
