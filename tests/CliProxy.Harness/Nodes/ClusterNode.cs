using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace CliProxy.Harness;

/// <summary>What a <see cref="ClusterNode"/> runs.</summary>
public enum NodeKind
{
    /// <summary>A silo process (<c>CliProxy.Silo.dll run</c>).</summary>
    Silo,

    /// <summary>A gateway process in client mode (<c>CliProxy.Gateway.dll --Cluster:Mode=client</c>).</summary>
    Gateway,

    /// <summary>A one-shot command (<c>CliProxy.Silo.dll import/export/migrate</c>).</summary>
    Command,
}

/// <summary>
/// One process of a <see cref="ClusterHarness"/>: a silo, a gateway or a one-shot command. Its
/// standard output and error are captured line by line (time-stamped relative to the harness start)
/// into <see cref="Log"/> and into a file in the harness folder, so that a failing test can show what
/// every node said. A node is one process: a restarted silo is a new node.
/// </summary>
public abstract class ClusterNode
{
    private readonly StringBuilder _log = new();
    private readonly Stopwatch _clock;
    private readonly string _logFile;
    private Process? _process;
    private (IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment)? _launch;

    private protected ClusterNode(string name, NodeKind kind, string directory, Stopwatch clock)
    {
        Name = name;
        Kind = kind;
        Directory = directory;
        _clock = clock;
        _logFile = Path.Combine(directory, "node.log");
        System.IO.Directory.CreateDirectory(directory);
    }

    /// <summary>Unique name within the harness, e.g. <c>silo-2</c> or <c>gateway-1</c>.</summary>
    public string Name { get; }

    /// <summary>What the node runs.</summary>
    public NodeKind Kind { get; }

    /// <summary>The node's own folder (working directory and <c>node.log</c>).</summary>
    public string Directory { get; }

    /// <summary>Operating-system id of the current process, or null before it was started.</summary>
    public int? ProcessId => _process?.Id;

    /// <summary>True once the process was started and has not exited since.</summary>
    public bool IsRunning => _process is { HasExited: false };

    /// <summary>The exit code once the process has exited, else null.</summary>
    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>Everything the node printed so far (all attempts), one time-stamped line per output line.</summary>
    public string Log
    {
        get
        {
            lock (_log) return _log.ToString();
        }
    }

    /// <summary>The last <paramref name="lines"/> lines of <see cref="Log"/>, each cut to 400 characters (the full text is in <c>node.log</c>).</summary>
    public string LogTail(int lines = 60)
    {
        var all = Log.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)).Select(l => l.Length > 400 ? l[..400] + " …" : l));
    }

    /// <summary>True when the output of the current process contains <paramref name="text"/> (ordinal, case-sensitive).</summary>
    public bool CurrentOutputContains(string text)
    {
        lock (_log) return _log.ToString(CurrentAttemptStart, _log.Length - CurrentAttemptStart).Contains(text, StringComparison.Ordinal);
    }

    /// <summary>A one-line state plus the log tail, for failure messages.</summary>
    public string Describe(int lines = 60)
    {
        var state = _process is null ? "not started" : IsRunning ? $"running (pid {ProcessId})" : $"exited with {ExitCode} (pid {ProcessId})";
        return $"===== {Name} [{Kind}] {Summary} — {state} — last {lines} lines:\n{LogTail(lines)}\n";
    }

    /// <summary>Ports and other identifying facts shown by <see cref="Describe"/>.</summary>
    protected abstract string Summary { get; }

    private int CurrentAttemptStart { get; set; }

    /// <summary>Waits until the process exits and returns its exit code; throws <see cref="TimeoutException"/> after <paramref name="timeout"/>.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        var process = _process ?? throw new InvalidOperationException($"{Name} was never started");
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"{Name} did not exit within {timeout}.\n{Describe()}");
        }

        return process.ExitCode;
    }

    /// <summary>Starts the process (<c>dotnet &lt;arguments&gt;</c>) with exactly <paramref name="environment"/> layered over a cleaned copy of the test's environment.</summary>
    internal void Launch(IReadOnlyList<string> arguments, IReadOnlyDictionary<string, string> environment)
    {
        if (IsRunning) throw new InvalidOperationException($"{Name} is already running");
        _process?.Dispose();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = false,
            UseShellExecute = false,
            WorkingDirectory = Directory,
        };
        foreach (var argument in arguments) start.ArgumentList.Add(argument);
        // Nothing of the test runner's own product settings may leak into a node.
        ChildEnvironment.Scrub(start);

        foreach (var (key, value) in environment) start.Environment[key] = value;
        _launch = (arguments, environment);
        lock (_log)
        {
            CurrentAttemptStart = _log.Length;
        }

        Append($"### dotnet {string.Join(' ', arguments)}");
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Exited += (_, _) => Append("### process exited");
        if (!process.Start()) throw new InvalidOperationException($"could not start {Name}");
        _process = process;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    /// <summary>Starts the process again with the arguments and environment of its last launch (same ports); it must have exited.</summary>
    internal void Relaunch()
    {
        var (arguments, environment) = _launch ?? throw new InvalidOperationException($"{Name} was never started");
        Launch(arguments, environment);
    }

    /// <summary>Kills the process and its children at once (SIGKILL; no shutdown code runs) and waits until it is gone.</summary>
    internal async Task KillAsync()
    {
        if (_process is not { } process || process.HasExited) return;
        try
        {
            process.Kill(entireProcessTree: true);
            Append("### killed (SIGKILL)");
        }
        catch (InvalidOperationException)
        {
            // Exited meanwhile.
        }

        await process.WaitForExitAsync();
    }

    /// <summary>
    /// Asks the process to shut down (SIGTERM, as a container runtime or systemd would) and waits up to
    /// <paramref name="timeout"/>; a process still running then is killed and <see cref="TimeoutException"/> thrown.
    /// Returns the exit code.
    /// </summary>
    internal async Task<int> TerminateAsync(TimeSpan timeout)
    {
        if (_process is not { } process) throw new InvalidOperationException($"{Name} was never started");
        if (process.HasExited) return process.ExitCode;
        Append("### SIGTERM");
        if (SendSignal(process.Id, SigTerm) != 0)
        {
            throw new InvalidOperationException($"kill(SIGTERM) of {Name} failed with errno {Marshal.GetLastPInvokeError()}");
        }

        try
        {
            return await WaitForExitAsync(timeout);
        }
        catch (TimeoutException)
        {
            await KillAsync();
            throw;
        }
    }

    private void Append(string? line)
    {
        if (line is null) return;
        var stamped = $"+{_clock.Elapsed.TotalSeconds,8:F3}s {line}\n";
        lock (_log)
        {
            _log.Append(stamped);
            try
            {
                File.AppendAllText(_logFile, stamped);
            }
            catch (IOException)
            {
                // The folder is being removed (harness disposed); the in-memory log is enough.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }
    }

    private const int SigTerm = 15;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int SendSignal(int pid, int signal);
}

/// <summary>A silo process of the cluster.</summary>
public sealed class SiloNode : ClusterNode
{
    internal SiloNode(string name, string directory, System.Diagnostics.Stopwatch clock) : base(name, NodeKind.Silo, directory, clock)
    {
    }

    /// <summary>Silo-to-silo port (<c>Cluster:SiloPort</c>) of the current process.</summary>
    public int SiloPort { get; internal set; }

    /// <summary>Port gateways (Orleans clients) connect to (<c>Cluster:GatewayPort</c>) of the current process.</summary>
    public int GatewayPort { get; internal set; }

    /// <inheritdoc />
    protected override string Summary => $"silo port {SiloPort}, gateway port {GatewayPort}";
}

/// <summary>A one-shot <c>CliProxy.Silo.dll</c> command (import, export, migrate).</summary>
public sealed class CommandNode : ClusterNode
{
    internal CommandNode(string name, string directory, System.Diagnostics.Stopwatch clock) : base(name, NodeKind.Command, directory, clock)
    {
    }

    /// <inheritdoc />
    protected override string Summary => "command";
}
