using System.Diagnostics;
using System.Net.Sockets;
using CliProxy.Bench;

namespace CliProxy.ProxyBench;

/// <summary>
/// nginx (Debian package, /usr/sbin/nginx) in the foreground as the current user, from a generated config in a temp
/// folder (pid file, error log and temp paths there, no access log): <c>proxy_pass</c> of everything to the upstream over
/// a keepalive pool, HTTP/1.1, response buffering off (as the gateway passes SSE through unbuffered). Killed on dispose.
/// </summary>
public sealed class NginxUnderTest : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";
    private readonly Process _process;
    private readonly string _dir;

    private NginxUnderTest(Process process, string dir, Uri baseAddress)
    {
        _process = process;
        _dir = dir;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>Starts nginx in front of <paramref name="upstream"/> with <paramref name="workers"/> worker processes.</summary>
    public static async Task<NginxUnderTest> StartAsync(Uri upstream, string workers)
    {
        var dir = Path.Combine(Path.GetTempPath(), "cliproxy-nginx-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var port = GatewayUnderTest.FreePort();
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), Config(dir, port, upstream, workers));
        var psi = new ProcessStartInfo(Binary) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in new[] { "-p", dir, "-c", Path.Combine(dir, "nginx.conf"), "-e", Path.Combine(dir, "error.log") }) psi.ArgumentList.Add(a);
        var process = Process.Start(psi)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("[nginx] " + e.Data); };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var nginx = new NginxUnderTest(process, dir, new Uri($"http://127.0.0.1:{port}"));
        for (var i = 0; i < 100 && !process.HasExited; i++)
        {
            try
            {
                using var probe = new TcpClient();
                await probe.ConnectAsync("127.0.0.1", port);
                return nginx;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }
        var log = File.Exists(Path.Combine(dir, "error.log")) ? File.ReadAllText(Path.Combine(dir, "error.log")) : "";
        await nginx.DisposeAsync();
        throw new InvalidOperationException("nginx did not start: " + log);
    }

    private static string Config(string dir, int port, Uri upstream, string workers) => $$"""
        worker_processes {{workers}};
        daemon off;
        pid {{dir}}/nginx.pid;
        error_log {{dir}}/error.log warn;
        events { worker_connections 4096; }
        http {
            access_log off;
            client_body_temp_path {{dir}}/client_body;
            proxy_temp_path {{dir}}/proxy;
            fastcgi_temp_path {{dir}}/fastcgi;
            uwsgi_temp_path {{dir}}/uwsgi;
            scgi_temp_path {{dir}}/scgi;
            upstream fake {
                server {{upstream.Host}}:{{upstream.Port}};
                keepalive 64;
            }
            server {
                listen 127.0.0.1:{{port}};
                location / {
                    proxy_pass http://fake;
                    proxy_http_version 1.1;
                    proxy_set_header Connection "";
                    proxy_buffering off;
                }
            }
        }
        """;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
        Directory.Delete(_dir, recursive: true);
    }
}
