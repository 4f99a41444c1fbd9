using CliProxy.Bench;

namespace CliProxy.ProxyBench;

/// <summary>
/// nginx (Debian package, /usr/sbin/nginx) in the foreground as the current user, from a generated config in a temp
/// folder (pid file, error log, access log and temp paths there; the access log written per request, as the gateway writes
/// its access lines to <c>main.log</c>): <c>proxy_pass</c> of everything to the upstream over
/// a keepalive pool, HTTP/1.1, response buffering off (as the gateway passes SSE through unbuffered). Killed on dispose.
/// </summary>
public sealed class NginxUnderTest : IAsyncDisposable
{
    public const string Binary = "/usr/sbin/nginx";
    private readonly ChildProcess _process;

    private NginxUnderTest(ChildProcess process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    /// <summary>CPU time used so far by the server's processes (see <see cref="ChildProcess.CpuTime"/>).</summary>
    public TimeSpan CpuTime() => _process.CpuTime();

    /// <summary>Starts nginx in front of <paramref name="upstream"/> with <paramref name="workers"/> worker processes.</summary>
    public static async Task<NginxUnderTest> StartAsync(Uri upstream, string workers)
    {
        var dir = ChildProcess.NewFolder("cliproxy-nginx-");
        var port = GatewayUnderTest.FreePort();
        File.WriteAllText(Path.Combine(dir, "nginx.conf"), Config(dir, port, upstream, workers));
        if (!File.Exists(Binary)) throw new InvalidOperationException($"{Binary} not found: install Debian's nginx (apt-get install -y nginx)");
        var process = ChildProcess.Start("nginx", dir, Binary, ["-p", dir, "-c", Path.Combine(dir, "nginx.conf"), "-e", Path.Combine(dir, "error.log")]);
        var nginx = new NginxUnderTest(process, new Uri($"http://127.0.0.1:{port}"));
        if (await process.ListensAsync(port, attempts: 100)) return nginx;
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
            access_log {{dir}}/access.log;
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

    public ValueTask DisposeAsync() => _process.DisposeAsync();
}
