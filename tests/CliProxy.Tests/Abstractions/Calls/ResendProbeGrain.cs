using CliProxy.Abstractions.Calls;
using Orleans.Placement;

namespace CliProxy.Tests.Abstractions.Calls;

/// <summary>
/// A grain whose calls with a payload fail the first <c>failures</c> times with the named failure (<see cref="ProbeFailures"/>),
/// one method per resend rule, so the tests see what <see cref="ResendFilter"/> sends again.
/// </summary>
public interface IResendProbeGrain : IGrainWithStringKey
{
    /// <summary>A retry-safe call; returns how many times the grain ran it with <paramref name="payload"/>.</summary>
    [RetrySafe]
    Task<int> Safe(string failure, int failures, string payload);

    /// <summary>A call that must not run twice.</summary>
    [ResendWhenNotDelivered]
    Task<int> Once(string failure, int failures, string payload);

    /// <summary>A call without a resend rule.</summary>
    Task<int> Unmarked(string failure, int failures, string payload);

    /// <summary>A call that must not run twice unless its request says it may.</summary>
    [ResendWhenNotDelivered]
    Task<int> Request(ProbeRequest request);

    /// <summary>A retry-safe call without a result.</summary>
    [RetrySafe]
    Task Void(string failure, int failures, string payload);

    /// <summary>The payloads the grain received, in order.</summary>
    Task<List<string>> Received();
}

/// <summary>A request that knows whether it may run twice.</summary>
[GenerateSerializer, Immutable]
public sealed record ProbeRequest([property: Id(0)] bool IsRetrySafe, [property: Id(1)] string Failure, [property: Id(2)] string Payload) : IRetrySafeRequest;

/// <summary>Implements <see cref="IResendProbeGrain"/>; placed on the silo of its first caller.</summary>
[PreferLocalPlacement]
public sealed class ResendProbeGrain : Grain, IResendProbeGrain
{
    private readonly List<string> _received = [];

    /// <inheritdoc />
    public Task<int> Safe(string failure, int failures, string payload) => Run(failure, failures, payload);

    /// <inheritdoc />
    public Task<int> Once(string failure, int failures, string payload) => Run(failure, failures, payload);

    /// <inheritdoc />
    public Task<int> Unmarked(string failure, int failures, string payload) => Run(failure, failures, payload);

    /// <inheritdoc />
    public Task<int> Request(ProbeRequest request) => Run(request.Failure, 1, request.Payload);

    /// <inheritdoc />
    public Task Void(string failure, int failures, string payload) => Run(failure, failures, payload);

    /// <inheritdoc />
    public Task<List<string>> Received() => Task.FromResult(_received.ToList());

    private Task<int> Run(string failure, int failures, string payload)
    {
        _received.Add(payload);
        var runs = _received.Count(p => p == payload);
        return runs <= failures ? Task.FromException<int>(ProbeFailures.Create(failure)) : Task.FromResult(runs);
    }
}
