using CliProxy.Gateway.Hosting;
using CliProxy.Tests.Gateway.Endpoints;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Process;

/// <summary>
/// The gateway process runs socket completions on the runtime's event threads (<see cref="SocketCompletions"/>): the
/// runtime then makes one event thread (named <c>.NET Sockets</c>) per core instead of one per 30 cores, which a
/// process shows in its thread names. An operator's <c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0</c> wins.
/// </summary>
[Process]
public sealed class SocketCompletionsProcessTests
{
    [Fact]
    public async Task The_gateway_runs_one_socket_event_thread_per_core()
    {
        await using var g = await GatewayProcess.StartAsync(Mgmt.MinimalYaml);
        Assert.Equal(Environment.ProcessorCount, SocketEventThreads(g.ProcessId));
    }

    [Fact]
    public async Task An_operator_who_turns_it_off_gets_the_runtimes_default()
    {
        await using var g = await GatewayProcess.StartAsync(Mgmt.MinimalYaml, new() { [SocketCompletions.InlineVariable] = "0" });
        // The runtime's default: one event thread per 30 cores (per 8 on ARM), at least one.
        var coresPerThread = System.Runtime.InteropServices.RuntimeInformation.ProcessArchitecture is System.Runtime.InteropServices.Architecture.Arm64 ? 8 : 30;
        Assert.Equal(Math.Max(1, (int)Math.Round(Environment.ProcessorCount / (double)coresPerThread)), SocketEventThreads(g.ProcessId));
    }

    private static int SocketEventThreads(int processId) =>
        Directory.GetDirectories($"/proc/{processId}/task").Count(task => File.ReadAllText(Path.Combine(task, "comm")).Trim() == ".NET Sockets");
}
