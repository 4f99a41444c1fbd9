using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace CliProxy.Tests.Support;

/// <summary>
/// The real gateway as a separate process (black-box tests): a temp folder with a config.yaml
/// copied from a fixture (its port replaced by a free one), started with <c>dotnet CliProxy.Gateway.dll
/// --config …</c>, ready once it logged <see cref="ReadyLine"/> and <c>/readyz</c> answers 200
/// (so another process that took the port cannot pass for it). Output is kept for diagnostics.
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly Dictionary<string, string> _environment;
    private readonly string[] _arguments;
    private readonly StringBuilder _output = new();
    private Process? _process;

    /// <summary>What the gateway logs once its start-up checks passed and it serves (every mode).</summary>
    public const string ReadyLine = "CLIProxy gateway serving";

    private GatewayProcess(string configText, Dictionary<string, string> environment, string[] arguments)
    {
        _environment = environment;
        _arguments = arguments;
        File.WriteAllText(ConfigPath, configText);
        UseNewPort();
    }

    /// <summary>The HTTP port.</summary>
    public int Port { get; private set; }

    /// <summary>The gateway's folder.</summary>
    public string Directory => _dir.Path;

    /// <summary>Path of its config.yaml.</summary>
    public string ConfigPath => _dir.File("config.yaml");

    /// <summary>True once the started process has exited (killed by a test, or died).</summary>
    public bool HasExited => _process is { HasExited: true };

    /// <summary>A client with the base address set (no key).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>What the process printed so far.</summary>
    public string Output
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

    /// <summary>Picks a free port, writes it into config.yaml (the <c>port:</c> line) and points <see cref="Client"/> at it.</summary>
    private void UseNewPort()
    {
        Port = FreePort.Next();
        var text = File.ReadAllText(ConfigPath);
        text = Regex.IsMatch(text, @"(?m)^port:") ? Regex.Replace(text, @"(?m)^port:.*$", $"port: {Port}") : $"port: {Port}\n" + text;
        File.WriteAllText(ConfigPath, text);
        Client?.Dispose();
        Client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Kills the process (no graceful shutdown) and waits for it to exit.</summary>
    public async Task StopAsync()
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

    /// <summary>A request with the management key as a bearer token.</summary>
    public HttpRequestMessage Request(HttpMethod method, string path, string? key = null, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>Sends a request and returns status and body text.</summary>
    public async Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? key = null, string? body = null)
    {
        using var request = Request(method, path, key, body);
        var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Client.Dispose();
        _dir.Dispose();
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
