
namespace CliProxy.Harness;

/// <summary>Launching and stopping nodes: silos, client-mode gateways and one-shot <c>CliProxy.Silo.dll</c> commands.</summary>
public sealed partial class ClusterHarness
{
    private const int PortAttempts = 5;

    /// <summary>
    /// Starts a silo and waits until it is ready (Active in the membership table and
    /// <see cref="SiloReadyLine"/> logged). Throws with the node's log when it exits or times out.
    /// </summary>
    public async Task<SiloNode> StartSiloAsync(SiloStartOptions? options = null)
    {
        options ??= new SiloStartOptions();
        var name = $"silo-{Interlocked.Increment(ref _siloCount)}";
        var node = new SiloNode(name, Path.Combine(Directory, name), _clock);
        _nodes.Enqueue(node);
        for (var attempt = 1; ; attempt++)
        {
            node.SiloPort = FreePort.Next();
            node.GatewayPort = FreePort.Next();
            var arguments = new List<string>
            {
                TestPaths.SiloDll, "run", $"--Cluster:SiloPort={node.SiloPort}", $"--Cluster:GatewayPort={node.GatewayPort}",
            };
            if (options.ImportConfig is { } import) arguments.Add($"--Cluster:ImportConfig={import}");
            arguments.AddRange(options.ExtraArguments);
            node.Launch(arguments, Environment(options.Environment));
            if (await StartedAsync(node, name, attempt, async () =>
                    node.CurrentOutputContains(SiloReadyLine) && (await ActiveSiloPortsAsync()).Contains(node.SiloPort)))
                return node;
        }
    }

    /// <summary>
    /// Starts a gateway in client mode on a free HTTP port (listening on 127.0.0.1 only) and, unless
    /// <see cref="GatewayStartOptions.WaitUntilReady"/> is false, waits until <c>/readyz</c> answers 200
    /// and <see cref="ClusterHarness.GatewayReadyLine"/> is logged.
    /// </summary>
    public async Task<GatewayNode> StartGatewayAsync(GatewayStartOptions? options = null)
    {
        options ??= new GatewayStartOptions();
        var name = $"gateway-{Interlocked.Increment(ref _gatewayCount)}";
        var node = new GatewayNode(name, Path.Combine(Directory, name), _clock, Options.ManagementKey);
        _nodes.Enqueue(node);
        for (var attempt = 1; ; attempt++)
        {
            node.UsePort(FreePort.Next());
            var arguments = new List<string>
            {
                TestPaths.GatewayDll, "--Cluster:Mode=client", $"--Http:Port={node.HttpPort}", "--Http:Host=127.0.0.1",
            };
            arguments.AddRange(options.ExtraArguments);
            var environment = new Dictionary<string, string>(options.Environment);
            if (options.TrustLoopbackProxy) environment.TryAdd("CLIPROXY_Http__TrustedProxies__0", "127.0.0.1");
            if (options.ManagementPassword is { } password) environment["MANAGEMENT_PASSWORD"] = password;
            node.Launch(arguments, Environment(environment));
            if (!options.WaitUntilReady) return node;
            if (await StartedAsync(node, name, attempt, async () => node.CurrentOutputContains(ClusterHarness.GatewayReadyLine) && await node.IsReadyAsync()))
                return node;
        }
    }

    /// <summary>
    /// Waits until <paramref name="ready"/> holds for a freshly launched node. False when the node
    /// exited because another process took one of its ports first (the caller retries on new
    /// ports); throws when it exited for another reason or did not get ready in time.
    /// </summary>
    private async Task<bool> StartedAsync(ClusterNode node, string name, int attempt, Func<Task<bool>> ready)
    {
        try
        {
            await Poll.UntilAsync(async () =>
                {
                    if (!node.IsRunning) throw await NodeExitedException.AfterOutputAsync(node);
                    return await ready();
                }, Options.StartTimeout, () => $"{name} ready\n{node.Describe()}",
                TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (NodeExitedException) when (attempt < PortAttempts && LostPortRace(node))
        {
            await Task.Delay(100 * attempt);
            return false;
        }
        catch (NodeExitedException exited)
        {
            throw new InvalidOperationException($"{name} exited during start-up with {node.ExitCode}.\n{exited.Node.Describe(200)}");
        }
    }

    /// <summary>
    /// Runs <c>CliProxy.Silo.dll &lt;arguments&gt;</c> (e.g. <c>import --config …</c>, <c>export --out …</c>) as a
    /// client of the cluster and waits for it to exit; returns the node (exit code and output).
    /// </summary>
    public async Task<CommandNode> RunSiloCommandAsync(IEnumerable<string> arguments, TimeSpan? timeout = null)
    {
        var name = $"command-{Interlocked.Increment(ref _commandCount)}";
        var node = new CommandNode(name, Path.Combine(Directory, name), _clock);
        _nodes.Enqueue(node);
        node.Launch([TestPaths.SiloDll, .. arguments], Environment(new Dictionary<string, string>()));
        await node.WaitForExitAsync(timeout ?? Options.StartTimeout);
        return node;
    }

    /// <summary>Kills <paramref name="node"/> with SIGKILL (its whole process tree; no shutdown code runs) and waits until it is gone.</summary>
    public Task KillAsync(ClusterNode node) => node.KillAsync();

    /// <summary>
    /// Stops <paramref name="node"/> gracefully (SIGTERM) and waits until it exited; returns the exit
    /// code. A node still running after <see cref="ClusterHarnessOptions.StopTimeout"/> is killed and
    /// <see cref="TimeoutException"/> is thrown.
    /// </summary>
    public Task<int> StopAsync(ClusterNode node) => node.TerminateAsync(Options.StopTimeout);

    /// <summary>
    /// Restarts <paramref name="silo"/> as a rolling restart does: stops it gracefully (SIGTERM; throws
    /// unless it exits with 0), starts it again on the same ports and waits until it is ready (Active in
    /// the membership table under its new generation and <see cref="SiloReadyLine"/> logged).
    /// </summary>
    public async Task RestartAsync(SiloNode silo)
    {
        var exitCode = await StopAsync(silo);
        if (exitCode != 0) throw new InvalidOperationException($"{silo.Name} exited with {exitCode} after SIGTERM\n{silo.Describe()}");
        silo.Relaunch();
        if (!await StartedAsync(silo, silo.Name, PortAttempts, async () =>
                silo.CurrentOutputContains(SiloReadyLine) && (await ActiveSiloPortsAsync()).Contains(silo.SiloPort)))
            throw new InvalidOperationException($"{silo.Name} did not restart\n{silo.Describe()}");
    }

    /// <summary>
    /// Restarts <paramref name="gateway"/> as a rolling restart does: stops it gracefully (SIGTERM; throws
    /// unless it exits with 0), starts it again on the same HTTP port and waits until <c>/readyz</c>
    /// answers 200 and <see cref="ClusterHarness.GatewayReadyLine"/> is logged.
    /// </summary>
    public async Task RestartAsync(GatewayNode gateway)
    {
        var exitCode = await StopAsync(gateway);
        if (exitCode != 0) throw new InvalidOperationException($"{gateway.Name} exited with {exitCode} after SIGTERM\n{gateway.Describe()}");
        gateway.Relaunch();
        if (!await StartedAsync(gateway, gateway.Name, PortAttempts, async () => gateway.CurrentOutputContains(ClusterHarness.GatewayReadyLine) && await gateway.IsReadyAsync()))
            throw new InvalidOperationException($"{gateway.Name} did not restart\n{gateway.Describe()}");
    }

    private Dictionary<string, string> Environment(IReadOnlyDictionary<string, string> extra)
    {
        var environment = new Dictionary<string, string>
        {
            ["CLIPROXY_Cluster__ConnectionString"] = ConnectionString,
            ["CLIPROXY_Cluster__ClusterId"] = ClusterId,
            ["CLIPROXY_Cluster__ServiceId"] = ServiceId,
            ["CLIPROXY_Cluster__AdvertisedAddress"] = "127.0.0.1",
            ["CLIPROXY_Cluster__Migrate"] = "false",
            // Small processes on a small machine; one line per log entry keeps the tails readable.
            ["DOTNET_gcServer"] = "0",
            ["Logging__Console__FormatterName"] = "simple",
            ["Logging__Console__FormatterOptions__SingleLine"] = "true",
            // A gateway under test load writes an access line per request; only refusals and failures
            // (warning, error) are kept, so that the tails a failing test prints show what went wrong.
            ["Logging__LogLevel__CliProxy.Gateway.Logging.RequestLogMiddleware"] = "Warning",
            // Every resend of a failed grain call, with the failure that caused it (debug).
            ["Logging__LogLevel__CliProxy.Abstractions.Calls.ResendFilter"] = "Debug",
        };
        if (Options.GatewayListRefresh is { } refresh) environment["CLIPROXY_Cluster__GatewayListRefresh"] = refresh.ToString("c");
        if (Options.ResponseTimeout is { } timeout) environment["CLIPROXY_Cluster__ResponseTimeout"] = timeout.ToString("c");
        foreach (var (key, value) in Options.NodeEnvironment) environment[key] = value;
        foreach (var (key, value) in extra) environment[key] = value;
        return environment;
    }

    private static bool LostPortRace(ClusterNode node) =>
        node.CurrentOutputContains("address already in use") || node.CurrentOutputContains("Address already in use");

    private sealed class NodeExitedException(ClusterNode node) : PollAbortedException($"{node.Name} exited")
    {
        public ClusterNode Node { get; } = node;

        /// <summary>The exception, once the process's output has been read to its end.</summary>
        public static async Task<NodeExitedException> AfterOutputAsync(ClusterNode node)
        {
            await node.WaitForExitAsync(TimeSpan.FromSeconds(10));
            return new NodeExitedException(node);
        }
    }
}
