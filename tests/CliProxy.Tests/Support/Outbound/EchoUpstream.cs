using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace CliProxy.Tests.Support.Outbound;

/// <summary>
/// An HTTP upstream on 127.0.0.1 (Kestrel in the test process) for <c>/api-call</c>:
/// <c>/echo/…</c> answers its request as JSON (method, path, query, headers, body);
/// <c>/status/{code}</c> answers that status with a <c>Retry-After</c>; <c>/gzip</c> answers a gzip body when
/// asked for gzip; <c>/redirect/{code}?to=…</c> redirects, <c>/loop</c> redirects to itself; <c>/bytes/{n}</c> answers n bytes. Every request is kept.
/// </summary>
public sealed class EchoUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;

    private EchoUpstream(WebApplication app) => _app = app;

    /// <summary>The port on 127.0.0.1.</summary>
    public int Port { get; private set; }

    /// <summary>Base URL (<c>http://127.0.0.1:port</c>).</summary>
    public string Url => $"http://127.0.0.1:{Port}";

    /// <summary>Requests received: method, path and query, headers (names as received).</summary>
    public List<(string Method, string Target, Dictionary<string, string> Headers)> Requests { get; } = [];

    /// <summary>Starts the upstream.</summary>
    public static async Task<EchoUpstream> StartAsync()
    {
        var app = LoopbackApp.Create();
        var upstream = new EchoUpstream(app);
        app.Use(async (context, next) =>
        {
            lock (upstream.Requests)
                upstream.Requests.Add((context.Request.Method, context.Request.Path + context.Request.QueryString,
                    context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
            await next(context);
        });
        app.Map("/echo/{**rest}", async (HttpContext http) =>
        {
            var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
            var headers = new JsonObject();
            foreach (var (name, value) in http.Request.Headers) headers[name] = value.ToString();
            return Results.Json(new JsonObject
            {
                ["method"] = http.Request.Method, ["path"] = http.Request.Path.Value, ["query"] = http.Request.QueryString.Value,
                ["headers"] = headers, ["body"] = body,
            });
        });
        app.Map("/status/{code:int}", (int code, HttpContext http) =>
        {
            http.Response.Headers["Retry-After"] = "17";
            return Results.Text("""{"error":"slow down"}""", "application/json", statusCode: code);
        });
        app.MapGet("/gzip", async (HttpContext http) =>
        {
            var text = Encoding.UTF8.GetBytes("compressed hello");
            if (!http.Request.Headers.AcceptEncoding.ToString().Contains("gzip"))
            {
                await http.Response.Body.WriteAsync(text);
                return;
            }
            using var packed = new MemoryStream();
            await using (var gzip = new GZipStream(packed, CompressionLevel.Fastest, leaveOpen: true)) await gzip.WriteAsync(text);
            http.Response.Headers.ContentEncoding = "gzip";
            http.Response.ContentLength = packed.Length;
            await http.Response.Body.WriteAsync(packed.ToArray());
        });
        app.Map("/redirect/{code:int}", (int code, string to, HttpContext http) =>
        {
            http.Response.Headers.Location = to;
            return Results.StatusCode(code);
        });
        app.MapGet("/loop", (HttpContext http) =>
        {
            http.Response.Headers.Location = "/loop";
            return Results.StatusCode(302);
        });
        app.MapGet("/bytes/{n:int}", (int n) => Results.Bytes(Encoding.ASCII.GetBytes(new string('a', n)), "text/plain"));
        await app.StartAsync();
        upstream.Port = LoopbackApp.PortOf(app);
        return upstream;
    }

    /// <summary>The last request received.</summary>
    public (string Method, string Target, Dictionary<string, string> Headers) Last
    {
        get
        {
            lock (Requests) return Requests[^1];
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await LoopbackApp.StopAsync(_app);
    }
}
