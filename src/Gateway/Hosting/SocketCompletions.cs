namespace CliProxy.Gateway.Hosting;

/// <summary>
/// Where the gateway process runs socket completions. The runtime's default on Linux hands every completed socket read
/// and write from its event thread (one per 30 cores) to a thread-pool thread; a proxy completes several per request
/// (client read, upstream write and read, client write), so the hand-offs cost more than its own work. The gateway
/// runs them on the event threads instead (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>, which also makes one
/// event thread per core): in the proxy benchmark 7–11 % less CPU per request and a lower p50 (README, Benchmark → Proxy).
/// Safe only for code that does not block after a socket completion — the gateway is asynchronous throughout; its
/// blocking work (file writes of grains and of <c>main.log</c>) runs on grain and thread-pool threads. An operator who
/// sets the variable (e.g. to <c>0</c>) keeps the setting.
/// </summary>
public static class SocketCompletions
{
    /// <summary>The runtime's switch (read once, when the process makes its first socket).</summary>
    public const string InlineVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>
    /// Turns inline completions on for this process unless the variable is already set. Call it first in the entry
    /// point, before anything opens a socket. A process that merely hosts the entry point (a test host running it through
    /// <c>WebApplicationFactory</c>, whose own sockets exist already) is left alone.
    /// </summary>
    public static void PreferInline() =>
        PreferInline(System.Reflection.Assembly.GetEntryAssembly() == typeof(SocketCompletions).Assembly,
            Environment.GetEnvironmentVariable, Environment.SetEnvironmentVariable);

    /// <summary>The decision of <see cref="PreferInline()"/> over an injected environment (for tests).</summary>
    /// <param name="ownProcess">Whether the gateway's entry point started this process.</param>
    /// <param name="read">Reads an environment variable.</param>
    /// <param name="write">Sets an environment variable (read back by the runtime's socket engine on Unix).</param>
    /// <returns>The variable's value in effect.</returns>
    public static string? PreferInline(bool ownProcess, Func<string, string?> read, Action<string, string> write)
    {
        var current = read(InlineVariable);
        if (!ownProcess || current is not null) return current;
        write(InlineVariable, "1");
        return "1";
    }
}
