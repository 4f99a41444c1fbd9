using System.Diagnostics;

namespace CliProxy.Harness;

/// <summary>
/// Deterministic waits: a condition is checked repeatedly until it holds or a deadline passes.
/// Tests wait for what they need (a node answering, a value visible) instead of sleeping.
/// </summary>
public static class Poll
{
    /// <summary>Default pause between two checks.</summary>
    public static readonly TimeSpan DefaultInterval = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// Checks <paramref name="condition"/> until it returns true and returns the time that took;
    /// throws <see cref="TimeoutException"/> (with <paramref name="describe"/>'s text) after <paramref name="timeout"/>.
    /// An exception thrown by the condition counts as "not yet" and is shown if the wait times out,
    /// except a <see cref="PollAbortedException"/>, which ends the wait at once.
    /// </summary>
    /// <param name="condition">The condition; called again after each <paramref name="interval"/>.</param>
    /// <param name="timeout">Deadline, measured from the call.</param>
    /// <param name="describe">What was awaited and the state of the world, for the timeout message.</param>
    /// <param name="interval">Pause between checks (default 50 ms).</param>
    public static async Task<TimeSpan> UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, Func<string> describe, TimeSpan? interval = null)
    {
        var watch = Stopwatch.StartNew();
        Exception? last = null;
        while (true)
        {
            try
            {
                if (await condition()) return watch.Elapsed;
                last = null;
            }
            catch (Exception e) when (e is not (OutOfMemoryException or PollAbortedException))
            {
                last = e;
            }

            if (watch.Elapsed >= timeout)
            {
                var cause = last is null ? "" : $"\nlast check threw {last.GetType().Name}: {last.Message}";
                throw new TimeoutException($"Not reached within {timeout.TotalSeconds:F1} s: {describe()}{cause}");
            }

            await Task.Delay(interval ?? DefaultInterval);
        }
    }

    /// <summary>Synchronous-condition form of <see cref="UntilAsync(Func{Task{bool}}, TimeSpan, Func{string}, TimeSpan?)"/>.</summary>
    public static Task<TimeSpan> UntilAsync(Func<bool> condition, TimeSpan timeout, Func<string> describe, TimeSpan? interval = null) =>
        UntilAsync(() => Task.FromResult(condition()), timeout, describe, interval);
}

/// <summary>Thrown by a <see cref="Poll"/> condition to end the wait at once: the awaited state can no longer come (e.g. the process exited).</summary>
public class PollAbortedException(string message) : Exception(message);
