using CliProxy.Gateway.Http;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Gateway.Http;

/// <summary>
/// The gateway's retry rules for grain calls (<see cref="GrainCalls"/>): which failures a write that
/// must not run twice may be sent again after, and which it may not.
/// </summary>
[Unit]
public sealed class GrainCallsTests
{
    /// <summary>
    /// Failures seen in the multi-process cluster tests, by whether the request certainly did not run
    /// (Orleans' own rejection before delivery, <see cref="OrleansMessageRejectionException"/>, has no
    /// public constructor; it is retried as before).
    /// </summary>
    public static TheoryData<string, Exception, bool> Failures() => new()
    {
        // A silo refused the message unprocessed (the target is known dead, or it stopped accepting messages).
        { "refused by a silo", new SiloUnavailableException(), true },
        // A silo that stops gracefully refuses to place a grain (its placement service has stopped);
        // the grain is placed on another silo when the request is sent again.
        { "stopping silo", new SiloUnavailableException("Silo 'S127.0.0.1:34519:155533481' is shutting down."), true },
        // The request may have run: its silo died or this process stops while it was on its way.
        { "target died", new SiloUnavailableException("The target silo became unavailable for message: Request [...]"), false },
        { "own host stops", new SiloUnavailableException("The local Orleans host is shutting down and can no longer process the request: Request [...]."), false },
        { "timeout", new TimeoutException("Response did not arrive on time in 00:00:10"), false },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_write_that_must_not_run_twice_is_sent_again_only_when_it_certainly_did_not_run(string _, Exception failure, bool retried)
    {
        var calls = 0;
        var call = () => GrainCalls.Once(() => ++calls == 1 ? Task.FromException<int>(failure) : Task.FromResult(calls));

        if (retried) Assert.Equal(2, await call());
        else Assert.Same(failure, await Assert.ThrowsAnyAsync<Exception>(call));
        Assert.Equal(retried ? 2 : 1, calls);
    }

    /// <summary>The same failures without the verdict: an idempotent call may be sent again after any of them.</summary>
    public static TheoryData<string, Exception> TransientFailures()
    {
        var data = new TheoryData<string, Exception>();
        foreach (var row in Failures()) data.Add((string)row[0], (Exception)row[1]);
        return data;
    }

    [Theory]
    [MemberData(nameof(TransientFailures))]
    public async Task An_idempotent_call_is_sent_again_after_any_of_these_failures(string _, Exception failure)
    {
        var calls = 0;
        Assert.Equal(2, await GrainCalls.Idempotent(() => ++calls == 1 ? Task.FromException<int>(failure) : Task.FromResult(calls)));
    }

    /// <summary>
    /// Regression (rolling restart): while a silo stops, the client may route the retry to it again and
    /// see the same refusal; a write that certainly did not run is sent again, after a back-off, until it
    /// gets through, up to <see cref="GrainCalls.UndeliveredAttempts"/> attempts. (Before, the second
    /// refusal answered 503.)
    /// </summary>
    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_call_refused_by_a_stopping_silo_is_sent_again_after_a_back_off_until_it_gets_through(bool idempotent)
    {
        var time = new FakeTimeProvider();
        var refusal = new SiloUnavailableException("Silo 'S127.0.0.1:34519:155533481' is shutting down.");
        var calls = 0;
        Func<Task<int>> call = () => ++calls < GrainCalls.UndeliveredAttempts ? Task.FromException<int>(refusal) : Task.FromResult(calls);

        var answer = idempotent ? GrainCalls.Idempotent(call, time) : GrainCalls.Once(call, time);
        var waited = await AdvanceUntilDoneAsync(answer, time);

        Assert.Equal(GrainCalls.UndeliveredAttempts, await answer);
        Assert.True(waited >= TimeSpan.FromMilliseconds(100 + 200 + 400), $"backed off only {waited}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_call_refused_more_often_fails_with_the_refusal(bool idempotent)
    {
        var time = new FakeTimeProvider();
        var refusal = new SiloUnavailableException();
        var calls = 0;
        Func<Task<int>> call = () =>
        {
            calls++;
            return Task.FromException<int>(refusal);
        };

        var answer = idempotent ? GrainCalls.Idempotent(call, time) : GrainCalls.Once(call, time);
        await AdvanceUntilDoneAsync(answer, time);

        Assert.Same(refusal, await Assert.ThrowsAsync<SiloUnavailableException>(() => answer));
        // An idempotent call also gets the one extra try any transient failure earns.
        Assert.Equal(GrainCalls.UndeliveredAttempts + (idempotent ? 1 : 0), calls);
    }

    [Fact]
    public async Task An_idempotent_call_that_may_have_run_is_tried_only_twice()
    {
        var calls = 0;
        var timeout = new TimeoutException("Response did not arrive on time in 00:00:10");
        await Assert.ThrowsAsync<TimeoutException>(() => GrainCalls.Idempotent<int>(() =>
        {
            calls++;
            return Task.FromException<int>(timeout);
        }, new FakeTimeProvider()));
        Assert.Equal(2, calls);
    }

    /// <summary>Advances <paramref name="time"/> 100 ms at a time until <paramref name="task"/> is done; returns the time advanced.</summary>
    private static async Task<TimeSpan> AdvanceUntilDoneAsync(Task task, FakeTimeProvider time)
    {
        var start = time.GetUtcNow();
        for (var i = 0; i < 1000 && !task.IsCompleted; i++)
        {
            await Task.Yield();
            if (task.IsCompleted) break;
            time.Advance(TimeSpan.FromMilliseconds(100));
        }

        return time.GetUtcNow() - start;
    }
}
