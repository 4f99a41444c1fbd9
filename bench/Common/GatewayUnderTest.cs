using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;

namespace CliProxy.Bench;

/// <summary>
/// The real gateway started from its build output (a separate process) on a temp config.yaml: by default a copy of
/// tests/fixtures/config/full.yaml on a free port.
/// </summary>
public sealed class GatewayUnderTest : IAsyncDisposable
{
    /// <summary>The management key of the default config (and of the proxy benchmark's).</summary>
    public const string Key = "mgmt-key-for-tests";
    private readonly ChildProcess _process;

    private GatewayUnderTest(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>The gateway's process id (for memory samples).</summary>
    public int ProcessId => _process.Id;

    /// <summary>CPU time used so far by the server's processes (see <see cref="ChildProcess.CpuTime"/>).</summary>
    public TimeSpan CpuTime() => _process.CpuTime();

    /// <summary>Time from process start until /readyz answered 200.</summary>
    public TimeSpan StartupTime { get; private set; }

    /// <summary>The repository root.</summary>
    public static string Root => RepoRoot();

    /// <summary>
    /// Starts the gateway built in <paramref name="configuration"/> (Release/Debug), or the one at <paramref name="dll"/> (another
    /// build, for comparisons). <paramref name="prepare"/> may fill its folder (e.g. auths/) first; <paramref name="config"/>
    /// gives the config.yaml text for a port (default: full.yaml on that port).
    /// </summary>
    public static async Task<GatewayUnderTest> StartAsync(string configuration, Action<string>? prepare = null, Func<int, string>? config = null, string? dll = null)
    {
        var root = RepoRoot();
        var dir = ChildProcess.NewFolder("cliproxy-bench-");
        prepare?.Invoke(dir);
        var port = FreePort();
        config ??= p => Regex.Replace(File.ReadAllText(Path.Combine(root, "tests", "fixtures", "config", "full.yaml")), @"(?m)^port:.*$", $"port: {p}");
        File.WriteAllText(Path.Combine(dir, "config.yaml"), config(port));
        var started = Stopwatch.StartNew();
        var process = ChildProcess.Start("gateway", dir, "dotnet",
            [dll ?? Path.Combine(root, "src", "Gateway", "bin", configuration, "net10.0", "CliProxy.Gateway.dll"), "--config", Path.Combine(dir, "config.yaml")],
            psi => psi.Environment.Remove("MANAGEMENT_PASSWORD"));
        var gateway = new GatewayUnderTest(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
        for (var i = 0; i < 600 && !process.HasExited; i++)
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
        await gateway.DisposeAsync();
        throw new TimeoutException("gateway did not become ready");
    }

    /// <summary>
    /// The sum of every series of <paramref name="metric"/> (a Prometheus name, e.g. <c>dotnet_gc_last_collection_heap_size_bytes</c>)
    /// in the gateway's <c>/metrics</c> (read with the management key), or null when it is not exported or not reachable.
    /// </summary>
    public async Task<double?> MetricAsync(string metric)
    {
        using var http = new HttpClient { BaseAddress = BaseAddress };
        http.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        try
        {
            var text = await http.GetStringAsync("/metrics");
            double? sum = null;
            foreach (var line in text.Split('\n'))
            {
                if (!line.StartsWith(metric, StringComparison.Ordinal) || line.Length <= metric.Length || line[metric.Length] is not (' ' or '{')) continue;
                var value = line[(line.LastIndexOf(' ') + 1)..];
                if (double.TryParse(value, CultureInfo.InvariantCulture, out var number)) sum = (sum ?? 0) + number;
            }
            return sum;
        }
        catch (HttpRequestException)
        {
            return null;
        }
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();

    /// <summary>A loopback TCP port free at the time of the call.</summary>
    public static int FreePort()
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
