using System.Net.Sockets;

namespace CliProxy.Tests.Support.Outbound;

/// <summary>An HTTP server on 127.0.0.1 that reads a request and never answers (for timeouts and cancellation).</summary>
public sealed class SilentServer : LoopbackServer
{
    private readonly TaskCompletionSource _received = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when the first request head has arrived.</summary>
    public Task Received => _received.Task;

    /// <inheritdoc />
    protected override async Task ServeAsync(NetworkStream stream)
    {
        if (await ReadHeadAsync(stream, Stopping) is null) return;
        _received.TrySetResult();
        await Task.Delay(Timeout.Infinite, Stopping);
    }
}
