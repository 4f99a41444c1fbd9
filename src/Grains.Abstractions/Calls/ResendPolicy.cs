namespace CliProxy.Abstractions.Calls;

/// <summary>
/// How often, and when, a failed grain call is sent again under its <see cref="ResendRule"/>. A call that
/// certainly did not run (<see cref="CallFailures.IsUndelivered"/>) is sent again after a back-off of
/// 100 ms, doubling up to <see cref="MaxBackOff"/>, for as long as its refusals have lasted less than
/// <see cref="UndeliveredWindow"/>: while a silo stops, the client may route the next attempt to it
/// again, and the refusals last until its grains are handed over, which takes seconds on a loaded
/// machine. A retry-safe call also gets one more attempt, at once, after any other transient failure
/// (its silo died, a timeout: it may have run); more would multiply the response timeout. Any other
/// failure, and the last one, reach the caller as they are.
/// </summary>
public static class ResendPolicy
{
    /// <summary>
    /// How long a call refused before delivery keeps being sent again, from its first refusal (10 s, the
    /// default response timeout: a handover under load took more than the 0.7 s of four attempts).
    /// </summary>
    public static readonly TimeSpan UndeliveredWindow = TimeSpan.FromSeconds(10);

    /// <summary>The back-off before the second attempt of an undelivered call; it doubles for each further one up to <see cref="MaxBackOff"/>.</summary>
    public static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest back-off between two attempts of an undelivered call (so a handover that ends is noticed within it).</summary>
    public static readonly TimeSpan MaxBackOff = TimeSpan.FromMilliseconds(500);

    /// <summary>Runs <paramref name="attempt"/> (once per attempt) until it succeeds or <paramref name="rule"/> sends it no more.</summary>
    /// <param name="attempt">One attempt of the call.</param>
    /// <param name="rule">The call's rule.</param>
    /// <param name="time">Clock of the back-off delays and of <see cref="UndeliveredWindow"/>.</param>
    /// <param name="resending">Told of each failure after which the call is sent again.</param>
    public static async Task<T> RunAsync<T>(Func<Task<T>> attempt, ResendRule rule, TimeProvider time, Action<Exception>? resending = null)
    {
        if (rule == ResendRule.Never) return await attempt();
        long? firstRefusal = null;
        var backOff = FirstBackOff;
        for (var retriedOther = false; ;)
        {
            try
            {
                return await attempt();
            }
            catch (Exception e) when (CallFailures.IsUndelivered(e) && WithinWindow(ref firstRefusal, backOff, time))
            {
                resending?.Invoke(e);
                await Task.Delay(backOff, time);
                backOff = TimeSpan.FromTicks(Math.Min(backOff.Ticks * 2, MaxBackOff.Ticks));
            }
            catch (Exception e) when (rule == ResendRule.AfterTransientFailure && !retriedOther && CallFailures.IsTransient(e))
            {
                resending?.Invoke(e);
                retriedOther = true;
            }
        }
    }

    /// <summary>True when the next attempt, after <paramref name="backOff"/>, still falls within <see cref="UndeliveredWindow"/> of the first refusal.</summary>
    private static bool WithinWindow(ref long? firstRefusal, TimeSpan backOff, TimeProvider time)
    {
        var now = time.GetTimestamp();
        firstRefusal ??= now;
        return time.GetElapsedTime(firstRefusal.Value, now) + backOff <= UndeliveredWindow;
    }
}
