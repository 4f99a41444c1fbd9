using System.Net;
using CliProxy.Domain.OAuth;
using CliProxy.Gateway.Endpoints.OAuth;
using CliProxy.Gateway.Hosting;

namespace CliProxy.Gateway.Logins;

/// <summary>
/// The gateway's web-UI callback forwarders (spec <c>management-auth.md</c> §5.7, <c>?is_webui=true</c>):
/// one <see cref="ForwarderListener"/> per provider callback port (the port of the provider's
/// <c>OAuth:Providers:&lt;p&gt;:RedirectUri</c>) on <c>OAuth:ForwarderBindAddress</c>, started by the first
/// web-UI login of that provider and shared by all its concurrent logins — a second login never takes
/// the port over from the first (defect 8). Every <see cref="OAuthSettings.ForwarderIdle"/> the
/// forwarders are checked: a login leaves its forwarder when its session is no longer pending or its
/// callback wait is over, and a forwarder without logins is stopped. Best effort: a taken port is
/// reported to the caller, never a failed start (defect 5).
/// </summary>
public sealed partial class CallbackForwarders(OAuthSettings settings, GatewayHost host, ILoginProbe probe, TimeProvider time, ILogger<CallbackForwarders> logger)
    : PeriodicBackgroundService(time, logger)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<int, OpenPort> _ports = []; // guarded by _gate

    /// <summary>The ports a forwarder listens on now.</summary>
    public async Task<IReadOnlyCollection<int>> ListeningPortsAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return [.. _ports.Keys];
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    protected override TimeSpan Interval => settings.ForwarderIdle;

    /// <summary>True for a provider that redirects the browser (one with a server-root callback route); device logins have no forwarder.</summary>
    public static bool Serves(string provider) => OAuthCallbackEndpoints.Routes.Any(r => r.Provider == provider);

    /// <summary>The callback port of <paramref name="provider"/>: its redirect URI's port, or 0 when it has none.</summary>
    public int PortOf(string provider) =>
        Uri.TryCreate(settings.For(provider).RedirectUri, UriKind.Absolute, out var uri) && !uri.IsDefaultPort ? uri.Port : 0;

    /// <summary>
    /// Makes sure a forwarder listens on <paramref name="provider"/>'s callback port for the login of
    /// <paramref name="state"/>, starting it when none does; the outcome says why not when it cannot.
    /// </summary>
    public async Task<ForwarderOpening> OpenAsync(string provider, string state, CancellationToken cancellationToken)
    {
        var path = OAuthCallbackEndpoints.Routes.FirstOrDefault(r => r.Provider == provider).Route;
        var port = PortOf(provider);
        if (path is null || port == 0) return new ForwarderOpening(port, $"{provider} has no callback port");
        if (!TryBindAddress(out var bind)) return new ForwarderOpening(port, $"OAuth:ForwarderBindAddress '{settings.ForwarderBindAddress}' is not an IP address");
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (!_ports.TryGetValue(port, out var open))
            {
                try
                {
                    var listener = await ForwarderListener.StartAsync(bind, port, host.PublicUrl + path, cancellationToken);
                    open = new OpenPort(provider, listener);
                    _ports[port] = open;
                    LogStarted(Logger, provider, settings.ForwarderBindAddress, port, host.PublicUrl + path);
                }
                catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException)
                {
                    LogUnavailable(Logger, provider, settings.ForwarderBindAddress, port, e.Message);
                    return new ForwarderOpening(port, $"cannot listen on port {port} ({e.Message})");
                }
            }
            else if (open.Provider != provider)
            {
                return new ForwarderOpening(port, $"port {port} forwards {open.Provider} callbacks");
            }
            open.Logins[state] = Time.GetUtcNow() + settings.CallbackWait;
            return new ForwarderOpening(port, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>One check: logins that no longer wait leave their forwarder; forwarders left without logins stop.</summary>
    protected override async Task RunPassAsync(CancellationToken stoppingToken)
    {
        List<string> logins;
        await _gate.WaitAsync(stoppingToken);
        try
        {
            logins = [.. _ports.Values.SelectMany(p => p.Logins.Keys)];
        }
        finally
        {
            _gate.Release();
        }
        if (logins.Count == 0) return;
        var now = Time.GetUtcNow();
        var done = new HashSet<string>(StringComparer.Ordinal);
        foreach (var state in logins)
        {
            try
            {
                if (!await probe.IsPendingAsync(state, stoppingToken)) done.Add(state);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                // The cluster is out of reach: the login keeps its forwarder until its callback wait is over.
                LogProbeFailed(Logger, state[..Math.Min(8, state.Length)], e.Message);
            }
        }
        List<(int Port, OpenPort Open)> idle = [];
        await _gate.WaitAsync(stoppingToken);
        try
        {
            foreach (var (port, open) in _ports)
            {
                foreach (var (state, deadline) in open.Logins.ToArray())
                    if (done.Contains(state) || deadline <= now) open.Logins.Remove(state);
                if (open.Logins.Count == 0) idle.Add((port, open));
            }
            foreach (var (port, _) in idle) _ports.Remove(port);
        }
        finally
        {
            _gate.Release();
        }
        foreach (var (port, open) in idle)
        {
            await open.Listener.DisposeAsync();
            LogStopped(Logger, open.Provider, port);
        }
    }

    /// <summary>Stops the checks, then every forwarder.</summary>
    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            foreach (var open in _ports.Values) await open.Listener.DisposeAsync();
            _ports.Clear();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <inheritdoc />
    public override void Dispose()
    {
        base.Dispose();
        _gate.Dispose();
    }

    private bool TryBindAddress(out IPAddress bind)
    {
        var text = settings.ForwarderBindAddress.Trim();
        if (text.Equals("localhost", StringComparison.OrdinalIgnoreCase))
        {
            bind = IPAddress.Loopback;
            return true;
        }
        return IPAddress.TryParse(text.Trim('[', ']'), out bind!);
    }

    /// <summary>A listening forwarder, its provider and the logins it waits for (state → end of the callback wait).</summary>
    private sealed record OpenPort(string Provider, ForwarderListener Listener)
    {
        public Dictionary<string, DateTimeOffset> Logins { get; } = new(StringComparer.Ordinal);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider} callback forwarder listening on {Bind}:{Port}, redirecting to {Target}")]
    private static partial void LogStarted(ILogger logger, string provider, string bind, int port, string target);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Provider} callback forwarder cannot listen on {Bind}:{Port} ({Error}); the login goes on, its redirect can be pasted")]
    private static partial void LogUnavailable(ILogger logger, string provider, string bind, int port, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Callback forwarder check: the status of login {StatePrefix}… is unknown ({Error}); it keeps its forwarder until its callback wait is over")]
    private static partial void LogProbeFailed(ILogger logger, string statePrefix, string error);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Provider} callback forwarder on port {Port} stopped: no pending login left")]
    private static partial void LogStopped(ILogger logger, string provider, int port);
}
