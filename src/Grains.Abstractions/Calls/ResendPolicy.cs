namespace CliProxy.Abstractions.Calls;

/// <summary>
/// How often, and when, a failed grain call is sent again under its <see cref="ResendRule"/>. A call that
/// certainly did not run (<see cref="CallFailures.IsUndelivered"/>) is sent again up to
/// <see cref="UndeliveredAttempts"/> attempts in all, after 100, 200, 400 ms: while a silo stops, the
/// client may route the next attempt to it again. A retry-safe call also gets one more attempt, at once,
/// after any other transient failure (its silo died, a timeout: it may have run); more would multiply the
/// response timeout. Any other failure, and the last one, reach the caller as they are.
/// </summary>
public static class ResendPolicy
{
    /// <summary>Attempts in all for a call refused before delivery (about 0.7 s of back-off in all).</summary>
    public const int UndeliveredAttempts = 4;

    /// <summary>The back-off before the second attempt of an undelivered call; it doubles for each further one.</summary>
    public static readonly TimeSpan FirstBackOff = TimeSpan.FromMilliseconds(100);

    /// <summary>Runs <paramref name="attempt"/> (once per attempt) until it succeeds or <paramref name="rule"/> sends it no more.</summary>
    /// <param name="attempt">One attempt of the call.</param>
    /// <param name="rule">The call's rule.</param>
    /// <param name="time">Clock of the back-off delays.</param>
    /// <param name="resending">Told of each failure after which the call is sent again.</param>
    public static async Task<T> RunAsync<T>(Func<Task<T>> attempt, ResendRule rule, TimeProvider time, Action<Exception>? resending = null)
    {
        if (rule == ResendRule.Never) return await attempt();
        var undelivered = 0;
        var backOff = FirstBackOff;
        for (var retriedOther = false; ; )
        {
            try
            {
                return await attempt();
            }
            catch (Exception e) when (CallFailures.IsUndelivered(e) && ++undelivered < UndeliveredAttempts)
            {
                resending?.Invoke(e);
                await Task.Delay(backOff, time);
                backOff *= 2;
            }
            catch (Exception e) when (rule == ResendRule.AfterTransientFailure && !retriedOther && CallFailures.IsTransient(e))
            {
                resending?.Invoke(e);
                retriedOther = true;
            }
        }
    }
}
