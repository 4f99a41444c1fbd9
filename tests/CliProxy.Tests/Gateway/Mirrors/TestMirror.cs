using System.Threading.Channels;
using CliProxy.Gateway.Mirrors;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Gateway.Mirrors;

/// <summary>
/// A <see cref="GrainStateMirror{TState}"/> of a fake grain whose state is a string: the test sets the
/// grain's version and state, makes calls fail or wait, pushes, and runs passes by hand or through the
/// service's own loop on a <see cref="FakeTimeProvider"/>. Every call to the "grain" is logged in order.
/// </summary>
internal sealed class TestMirror(FakeTimeProvider time, bool invalidateOnFailedPass = false)
    : GrainStateMirror<string>(time, NullLogger.Instance)
{
    private readonly Lock _gate = new();
    private readonly List<string> _calls = [];

    /// <summary>The grain's version and state.</summary>
    public (long Version, string State) Grain { get; set; } = (1, "s1");

    /// <summary>When set, the next subscription fails.</summary>
    public bool FailNextSubscribe { get; set; }

    /// <summary>When set, state reads wait for it after taking the grain's state.</summary>
    public TaskCompletionSource? HoldStateReads { get; set; }

    /// <summary>"pass" after each pass that completed, "failed" after each that threw.</summary>
    public Channel<string> Passes { get; } = Channel.CreateUnbounded<string>();

    /// <summary>The grain calls so far: "subscribe", "version", "state", "unsubscribe".</summary>
    public IReadOnlyList<string> Calls
    {
        get
        {
            lock (_gate) return [.. _calls];
        }
    }

    /// <summary>Number of calls named <paramref name="call"/>.</summary>
    public int Count(string call) => Calls.Count(c => c == call);

    /// <summary>Forgets the calls logged so far.</summary>
    public void ClearCalls()
    {
        lock (_gate) _calls.Clear();
    }

    /// <summary>One pass, as the loop runs it.</summary>
    public Task Pass() => RunPassAsync(CancellationToken.None);

    /// <summary>A whole-state push.</summary>
    public void PushWhole(long version, string state) => Offer(version, state);

    /// <summary>A change push that appends <paramref name="suffix"/>.</summary>
    public void PushChange(long from, long to, string suffix) => Apply(from, to, s => s + suffix);

    /// <inheritdoc />
    protected override bool InvalidateOnFailedPass => invalidateOnFailedPass;

    /// <inheritdoc />
    protected override Task<long> ReadVersionAsync()
    {
        Log("version");
        return Task.FromResult(Grain.Version);
    }

    /// <inheritdoc />
    protected override async Task<(long Version, string State)> ReadStateAsync()
    {
        Log("state");
        var read = Grain;
        if (HoldStateReads is { } hold) await hold.Task;
        return read;
    }

    /// <inheritdoc />
    protected override Task SubscribeAsync()
    {
        Log("subscribe");
        if (!FailNextSubscribe) return Task.CompletedTask;
        FailNextSubscribe = false;
        return Task.FromException(new TimeoutException("grain unreachable"));
    }

    /// <inheritdoc />
    protected override Task UnsubscribeAsync()
    {
        Log("unsubscribe");
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    protected override async Task RunPassAsync(CancellationToken stoppingToken)
    {
        await base.RunPassAsync(stoppingToken);
        Passes.Writer.TryWrite("pass");
    }

    /// <inheritdoc />
    protected override void OnPassFailed(Exception exception)
    {
        base.OnPassFailed(exception);
        Passes.Writer.TryWrite("failed");
    }

    private void Log(string call)
    {
        lock (_gate) _calls.Add(call);
    }
}
