using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CliProxy.Bench;

/// <summary>The real gateway started from its build output on a temp copy of tests/fixtures/config/full.yaml.</summary>
public sealed class GatewayUnderTest : IAsyncDisposable
{
    public const string Key = "mgmt-key-for-tests";
    private readonly Process _process;
    private readonly string _dir;

    private GatewayUnderTest(Process process, string dir, Uri baseAddress)
    {
        _process = process;
        _dir = dir;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Time from process start until /readyz answered 200.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The repository root.</summary>
    public static string Root => RepoRoot();

    /// <summary>Starts the gateway; <paramref name="prepare"/> may fill its folder (e.g. auths/) first.</summary>
    public static async Task<GatewayUnderTest> StartAsync(BenchOptions options, Action<string>? prepare = null)
    {
        var root = RepoRoot();
        var dir = Path.Combine(Path.GetTempPath(), "cliproxy-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        prepare?.Invoke(dir);
        var port = FreePort();
        var config = File.ReadAllText(Path.Combine(root, "tests", "fixtures", "config", "full.yaml"));
        File.WriteAllText(Path.Combine(dir, "config.yaml"), Regex.Replace(config, @"(?m)^port:.*$", $"port: {port}"));
        var psi = new ProcessStartInfo("dotnet") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(Path.Combine(root, "src", "Gateway", "bin", options.Configuration, "net10.0", "CliProxy.Gateway.dll"));
        psi.ArgumentList.Add("--config");
        psi.ArgumentList.Add(Path.Combine(dir, "config.yaml"));
        psi.Environment.Remove("MANAGEMENT_PASSWORD");
        var started = Stopwatch.StartNew();
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[gateway] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var gateway = new GatewayUnderTest(process, dir, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        for (var i = 0; i < 600; i++)
        {
            try
            {
                if ((await http.GetAsync("/readyz")).IsSuccessStatusCode)
                {
                    gateway.StartupTime = started.Elapsed;
                    return gateway;
                }
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(100);
        }
        throw new TimeoutException("gateway did not become ready");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    private static string RepoRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Orleans.sln"))) return d.FullName;
        throw new InvalidOperationException("run from inside the repository");
    }
}
