using CliProxy.Abstractions.Calls;
using CliProxy.Tests.Grains;

namespace CliProxy.Tests.Abstractions.Calls;

/// <summary>
/// <see cref="ResendFilter"/> on the silos of an in-process cluster: what a failed call is sent again
/// after, by the rule of its interface method, and that the second attempt carries the first one's
/// arguments whether the grain ran in the caller's silo or in the other one.
/// </summary>
[Grain]
public sealed class ResendFilterTests(SiloClusterFixture fixture) : IClassFixture<SiloClusterFixture>
{
    /// <summary>A probe activated on silo <paramref name="home"/> (its first caller).</summary>
    private async Task<IResendProbeGrain> Probe(int home)
    {
        var key = Guid.NewGuid().ToString("N");
        await fixture.Silo(home).GetGrain<IResendProbeGrain>(key).Received();
        return fixture.Silo(0).GetGrain<IResendProbeGrain>(key);
    }

    public static TheoryData<string, bool, int> Failures()
    {
        var data = new TheoryData<string, bool, int>();
        foreach (var (name, undelivered) in ProbeFailures.Verdicts)
            foreach (var home in new[] { 0, 1 })
                data.Add(name, undelivered, home);
        return data;
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_retry_safe_call_is_sent_again_after_a_transient_failure_with_its_arguments(string failure, bool _, int home)
    {
        var probe = await Probe(home);
        Assert.Equal(2, await probe.Safe(failure, 1, "payload"));
        Assert.Equal(["payload", "payload"], await probe.Received());
    }

    [Theory]
    [MemberData(nameof(Failures))]
    public async Task A_call_that_must_not_run_twice_is_sent_again_only_when_it_certainly_did_not_run(string failure, bool undelivered, int home)
    {
        var probe = await Probe(home);
        if (undelivered) Assert.Equal(2, await probe.Once(failure, 1, "payload"));
        else Assert.Equal(ProbeFailures.Create(failure).Message, (await Assert.ThrowsAnyAsync<Exception>(() => probe.Once(failure, 1, "payload"))).Message);
        Assert.Equal(undelivered ? new[] { "payload", "payload" } : ["payload"], await probe.Received());
    }

    [Theory]
    [InlineData(true, 2)]
    [InlineData(false, 1)]
    public async Task A_request_that_says_it_may_run_twice_is_resent_after_any_transient_failure(bool retrySafe, int runs)
    {
        var probe = await Probe(1);
        var call = () => probe.Request(new ProbeRequest(retrySafe, "target died", "edit"));
        if (retrySafe) Assert.Equal(2, await call());
        else await Assert.ThrowsAsync<SiloUnavailableException>(call);
        Assert.Equal(runs, (await probe.Received()).Count);
    }

    [Fact]
    public async Task A_call_without_a_rule_a_fault_of_the_grain_and_a_second_failure_are_not_sent_again()
    {
        var probe = await Probe(0);
        await Assert.ThrowsAsync<SiloUnavailableException>(() => probe.Unmarked("refused by a silo", 1, "unmarked"));
        await Assert.ThrowsAsync<InvalidOperationException>(() => probe.Safe(ProbeFailures.Fault, 1, "fault"));
        // Sent once more, and only once: the second failure reaches the caller.
        await Assert.ThrowsAsync<TimeoutException>(() => probe.Safe("timeout", 10, "twice"));
        Assert.Equal(["unmarked", "fault", "twice", "twice"], await probe.Received());
    }

    [Fact]
    public async Task A_call_without_a_result_is_sent_again_too()
    {
        var probe = await Probe(1);
        await probe.Void("target died", 1, "void");
        Assert.Equal(["void", "void"], await probe.Received());
    }
}
