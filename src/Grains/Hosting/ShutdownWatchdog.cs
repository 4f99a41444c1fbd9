using Microsoft.Extensions.Hosting;

namespace CliProxy.Grains.Hosting;

/// <summary>
/// Ends the process if a requested shutdown does not finish: a silo whose graceful stop loses
/// its database can otherwise hang after Orleans aborts the stop (seen in practice).
/// </summary>
public static class ShutdownWatchdog
{
    /// <summary>
    /// Exits with code 3 when the process is still alive <paramref name="grace"/> after shutdown
    /// began, unless the returned handle was disposed first (the host's entry point returned: a
    /// process then ends by itself, and a test host that ran the entry point in-process lives on).
    /// </summary>
    public static IDisposable Arm(IHostApplicationLifetime lifetime, TimeSpan grace)
    {
        var disarm = new Disarm();
        lifetime.ApplicationStopping.Register(() => _ = Task.Delay(grace, disarm.Token).ContinueWith(t =>
        {
            if (!t.IsCanceled) Environment.Exit(3);
        }, TaskScheduler.Default));
        return disarm;
    }

    private sealed class Disarm : IDisposable
    {
        private readonly CancellationTokenSource _cancel = new();

        public CancellationToken Token => _cancel.Token;

        public void Dispose() => _cancel.Cancel();
    }
}
