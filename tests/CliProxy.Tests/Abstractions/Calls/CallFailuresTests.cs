using CliProxy.Abstractions.Calls;

namespace CliProxy.Tests.Abstractions.Calls;

/// <summary>
/// Which failures of a grain call are transient, and after which of them a call that must not run twice
/// may be sent again (<see cref="CallFailures"/>).
/// </summary>
[Unit]
public sealed class CallFailuresTests
{
    /// <summary>
    /// Failures seen in the multi-process cluster tests, by whether the request certainly did not run
    /// (Orleans' own rejection before delivery, <see cref="OrleansMessageRejectionException"/>, has no
    /// public constructor; it is resent as before).
    /// </summary>
    public static TheoryData<string, bool> Failures()
    {
        var data = new TheoryData<string, bool>();
        foreach (var (name, undelivered) in ProbeFailures.Verdicts) data.Add(name, undelivered);
        return data;
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_call_that_must_not_run_twice_is_resent_only_when_it_certainly_did_not_run(string failure, bool undelivered)
    {
        var e = ProbeFailures.Create(failure);
        Assert.Equal(undelivered, CallFailures.IsUndelivered(e));
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public void A_retry_safe_call_is_resent_after_any_of_these_failures(string failure, bool _)
    {
        Assert.True(CallFailures.IsTransient(ProbeFailures.Create(failure)));
    }

    [Fact]
    public void A_transient_cause_inside_another_exception_counts_and_a_fault_of_the_grain_does_not()
    {
        Assert.True(CallFailures.IsTransient(new InvalidOperationException("wrapped", new TimeoutException())));
        Assert.True(CallFailures.IsTransient(new AggregateException(new ArgumentException(), new SiloUnavailableException())));
        Assert.True(CallFailures.IsTransient(new Orleans.Serialization.CodecNotFoundException("no codec for NpgsqlException")));
        Assert.False(CallFailures.IsTransient(ProbeFailures.Create(ProbeFailures.Fault)));
    }
}
