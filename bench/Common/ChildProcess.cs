using System.Diagnostics;

namespace CliProxy.Bench;

/// <summary>
/// A server under test run as a child process with its own temp folder: its stderr is shown with a prefix; on dispose it
/// is killed with its children and the folder is deleted.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ChildProcess(Process process, string folder)
    {
        _process = process;
        Folder = folder;
    }

    /// <summary>The process's temp folder.</summary>
    public string Folder { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>
    /// CPU time (user + system) used so far by the process and every live descendant (nginx's workers), from
    /// <c>/proc</c> (10 ms resolution); zero where <c>/proc</c> cannot be read.
    /// </summary>
    public TimeSpan CpuTime() => TimeSpan.FromSeconds(ProcCpu.TreeSeconds(_process.Id));

    /// <summary>True once <paramref name="port"/> on 127.0.0.1 accepts a connection; false when the process exits or <paramref name="attempts"/> probes 100 ms apart failed.</summary>
    public async Task<bool> ListensAsync(int port, int attempts)
    {
        for (var i = 0; i < attempts && !HasExited; i++)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return true;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100);
            }
        }
        return false;
    }

    /// <summary>A new temp folder named <paramref name="prefix"/> and a random suffix.</summary>
    public static string NewFolder(string prefix)
    {
        var folder = Path.Combine(Path.GetTempPath(), prefix + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        return folder;
    }

    /// <summary>Starts <paramref name="file"/> with <paramref name="arguments"/> in <paramref name="folder"/>; <paramref name="configure"/> may adjust the start info (environment).</summary>
    public static ChildProcess Start(string label, string folder, string file, IEnumerable<string> arguments, Action<ProcessStartInfo>? configure = null)
    {
        var psi = new ProcessStartInfo(file) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = folder };
        foreach (var argument in arguments) psi.ArgumentList.Add(argument);
        configure?.Invoke(psi);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine($"[{label}] {e.Data}"); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ChildProcess(process, folder);
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        _process.Dispose();
        Directory.Delete(Folder, recursive: true);
    }
}
