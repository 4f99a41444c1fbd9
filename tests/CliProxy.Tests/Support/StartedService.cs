using Microsoft.Extensions.Hosting;

namespace CliProxy.Tests.Support;

/// <summary>
/// A background service a test started itself, stopped when this is disposed (<c>await using</c>), so that a failed
/// assertion still stops it: instead of a try/finally around the test's body.
/// </summary>
public sealed class StartedService : IAsyncDisposable
{
    private readonly IHostedService _service;

    private StartedService(IHostedService service) => _service = service;

    /// <summary>Starts <paramref name="service"/>; disposing the result stops it.</summary>
    public static async Task<StartedService> StartAsync(IHostedService service)
    {
        await service.StartAsync(CancellationToken.None);
        return new StartedService(service);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _service.StopAsync(CancellationToken.None);
}
