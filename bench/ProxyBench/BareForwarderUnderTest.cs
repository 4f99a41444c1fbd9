using CliProxy.Bench;

namespace CliProxy.ProxyBench;

/// <summary>The bare YARP forwarder (bench/BareForwarder) in front of the fake upstream, as a separate process.</summary>
public sealed class BareForwarderUnderTest : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private BareForwarderUnderTest(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>CPU time used so far by the forwarder's process (see <see cref="ChildProcess.CpuTime"/>).</summary>
    public TimeSpan CpuTime() => _process.CpuTime();

    /// <summary>The forwarder's process id (for its <see cref="AllocationProbe"/>).</summary>
    public int ProcessId => _process.Id;

    /// <summary>Starts the forwarder built in <paramref name="configuration"/> in front of <paramref name="upstream"/>.</summary>
    public static async Task<BareForwarderUnderTest> StartAsync(Uri upstream, string configuration)
    {
        var dll = Path.Combine(GatewayUnderTest.Root, "bench", "BareForwarder", "bin", configuration, "net10.0", "CliProxy.BareForwarder.dll");
        var port = GatewayUnderTest.FreePort();
        var process = ChildProcess.Start("bare-yarp", ChildProcess.NewFolder("cliproxy-yarp-"), "dotnet",
            [dll, "--urls", $"http://127.0.0.1:{port}", "--upstream", upstream.ToString()]);
        var forwarder = new BareForwarderUnderTest(process, new Uri($"http://127.0.0.1:{port}"));
        if (await process.ListensAsync(port, attempts: 300)) return forwarder;
        await forwarder.DisposeAsync();
        throw new InvalidOperationException($"the bare forwarder ({dll}) did not start");
    }

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
