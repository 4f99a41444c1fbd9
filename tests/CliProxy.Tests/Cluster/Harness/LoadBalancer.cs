namespace CliProxy.Tests.Cluster.Harness;

/// <summary>
/// What a load balancer in front of the gateways does, for tests that restart gateways: it checks
/// <c>GET /readyz</c> of every gateway every <see cref="Interval"/> and sends requests round-robin to
/// the gateways whose last check answered 200 (to all of them when none did). A stopping gateway
/// answers 503 for its drain delay (<c>Http:DrainDelay</c>, 2 s) while it still serves, so the
/// balancer stops sending it new requests before it stops listening.
/// </summary>
public sealed class LoadBalancer : IAsyncDisposable
{
    /// <summary>Time between two health checks of a gateway (well under the drain delay).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly IReadOnlyList<GatewayNode> _gateways;
    private readonly bool[] _inRotation;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _checks;

    /// <summary>Starts checking <paramref name="gateways"/>; all are in rotation until a check says otherwise.</summary>
    public LoadBalancer(IReadOnlyList<GatewayNode> gateways)
    {
        _gateways = gateways;
        _inRotation = Enumerable.Repeat(true, gateways.Count).ToArray();
        _checks = Task.WhenAll(gateways.Select((_, index) => CheckAsync(index)));
    }

    /// <summary>Number of times a gateway was taken out of rotation.</summary>
    public int TakenOut { get; private set; }

    /// <summary>The gateway for request <paramref name="number"/>: round-robin over the gateways in rotation.</summary>
    public GatewayNode Pick(long number)
    {
        var healthy = _gateways.Where((_, index) => Volatile.Read(ref _inRotation[index])).ToList();
        if (healthy.Count == 0) healthy = _gateways.ToList();
        return healthy[(int)(number % healthy.Count)];
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _checks;
        _stop.Dispose();
    }

    /// <summary>The check; a gateway whose process is being replaced (the harness throws) is not ready.</summary>
    private static async Task<bool> IsReadyAsync(GatewayNode gateway, CancellationToken cancellationToken)
    {
        try
        {
            return await gateway.IsReadyAsync(cancellationToken);
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    private async Task CheckAsync(int index)
    {
        while (!_stop.IsCancellationRequested)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(TimeSpan.FromSeconds(1));
            var ready = await IsReadyAsync(_gateways[index], timeout.Token);
            if (Volatile.Read(ref _inRotation[index]) && !ready) TakenOut++;
            Volatile.Write(ref _inRotation[index], ready);
            try
            {
                await Task.Delay(Interval, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
