using CliProxy.Gateway.Http;

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
}
