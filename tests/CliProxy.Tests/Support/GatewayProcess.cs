using System.Diagnostics;
using System.Text;

namespace CliProxy.Tests.Support;

/// <summary>
/// The real gateway as a separate process (black-box tests of what only a process shows: restarts,
/// kills, process-wide environment, the command line): started with <c>dotnet CliProxy.Gateway.dll --config …</c>
/// on the folder of <see cref="TestGateway"/>, ready once it logged <see cref="ReadyLine"/> and
/// <c>/readyz</c> answers 200 (so another process that took the port cannot pass for it). Output is
/// kept for diagnostics.
/// </summary>
public sealed class GatewayProcess : TestGateway
{
    private readonly Dictionary<string, string> _environment;
    private readonly string[] _arguments;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>What the gateway logs once its start-up checks passed and it serves (every mode).</summary>
    public const string ReadyLine = ClusterHarness.GatewayReadyLine;

    private GatewayProcess(string configText, Dictionary<string, string> environment, string[] arguments)
        : base(configText)
    {
        _environment = environment;
        _arguments = arguments;
        UseLoopbackClient();
    }

    /// <summary>True once the started process has exited (killed by a test, or died).</summary>
    public bool HasExited => _process is { HasExited: true };

    /// <summary>The running process's id (throws before a start).</summary>
    public int ProcessId => _process?.Id ?? throw new InvalidOperationException("not started");

    /// <summary>What the process printed so far.</summary>
    public override string Output
    {
        get
        {
            lock (_output) return _output.ToString();
        }
    }

    /// <summary>Starts a gateway on <paramref name="configText"/> and waits until it is ready.</summary>
    public static async Task<GatewayProcess> StartAsync(string configText, Dictionary<string, string>? environment = null, params string[] arguments)
    {
        var gateway = new GatewayProcess(configText, environment ?? [], arguments);
        await gateway.StartAsync();
        return gateway;
    }

    /// <summary>
    /// Prepares a gateway (temp folder with the config, free port) without starting it, so that a
    /// test can put files into <see cref="Directory"/> first; then call <see cref="StartAsync()"/>.
    /// </summary>
    public static GatewayProcess Prepare(string configText, Dictionary<string, string>? environment = null, params string[] arguments) =>
        new(configText, environment ?? [], arguments);

    /// <summary>
    /// Starts (or restarts) the process on the same folder and waits for readiness. Ports are
    /// picked free before the process binds them, so a parallel test can take one first; such a
    /// start is retried on another port.
    /// </summary>
    public async Task StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartOnceAsync();
                return;
            }
            catch (InvalidOperationException e) when (attempt < 5 && e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await StopAsync();
                UseNewPort();
                UseLoopbackClient();
            }
        }
    }

    private async Task StartOnceAsync()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(TestPaths.GatewayDll);
        psi.ArgumentList.Add("--config");
        psi.ArgumentList.Add(ConfigPath);
        foreach (var a in _arguments) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_gcServer"] = "0";
        ChildEnvironment.Scrub(psi);
        foreach (var (k, v) in _environment) psi.Environment[k] = v;
        int mark;
        lock (_output) mark = _output.Length;
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        await WaitUntilReadyAsync(mark, TimeSpan.FromSeconds(60));
    }

    private void UseLoopbackClient() =>
        UseClient(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(30) });

    /// <inheritdoc />
    public override HttpClient CreateClient(bool allowAutoRedirect = true) =>
        new(new HttpClientHandler { AllowAutoRedirect = allowAutoRedirect }) { BaseAddress = Client.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Kills the process (no graceful shutdown) and waits for it to exit.</summary>
    public override async Task StopAsync()
    {
        if (_process is null) return;
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        _process = null;
    }

    /// <summary>Stops and starts again on the same folder.</summary>
    public async Task RestartAsync()
    {
        await StopAsync();
        await StartAsync();
    }

    private async Task WaitUntilReadyAsync(int outputMark, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process!.HasExited) throw new InvalidOperationException($"gateway exited with {_process.ExitCode}:\n{Output}");
            try
            {
                using var response = await Client.GetAsync("/readyz");
                if (response.IsSuccessStatusCode && Output.IndexOf(ReadyLine, outputMark, StringComparison.Ordinal) >= 0) return;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("gateway not ready:\n" + Output);
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_output) _output.AppendLine(line);
    }
}
