using System.Net;
using System.Text.Json;
using CliProxy.Gateway.Logging;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace CliProxy.Tests.Gateway.Logging;

/// <summary>
/// <see cref="CurrentRequestId"/> on a real Kestrel: HTTP/1.1 requests write their id into their connection's slot
/// (no logging scope, so no execution-context change per request) and clear it when they end; HTTP/2 streams, which
/// run at once on one connection, keep a logging scope each.
/// </summary>
[Unit]
public sealed class CurrentRequestIdTests
{
    private readonly CurrentRequestId _current = new();
    private readonly ScopeLogger _logger = new();

    [Fact]
    public async Task Sequential_http11_requests_on_one_connection_each_see_their_own_id_without_a_scope()
    {
        await using var app = await StartAsync(HttpProtocols.Http1, arrivals: 1);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 });
        for (var i = 0; i < 3; i++)
        {
            var id = $"0000000{i}";
            var seen = await SeenAsync(client, app, id, HttpVersion.Version11);
            Assert.Equal(new Seen(id, null), seen);
        }
        Assert.Equal(1, app.Connections);
    }

    [Fact]
    public async Task Concurrent_http2_streams_each_keep_their_own_scope()
    {
        const int streams = 4;
        await using var app = await StartAsync(HttpProtocols.Http2, arrivals: streams);
        using var client = new HttpClient(new SocketsHttpHandler());
        var ids = Enumerable.Range(0, streams).Select(i => $"aaaaaaa{i}").ToArray();
        var seen = await Task.WhenAll(ids.Select(id => SeenAsync(client, app, id, HttpVersion.Version20)));
        Assert.Equal(ids.Select(id => new Seen(null, id)), seen);
        Assert.Equal(1, app.Connections);
    }

    [Fact]
    public async Task Work_that_outlives_an_http11_request_no_longer_sees_its_id()
    {
        await using var app = await StartAsync(HttpProtocols.Http1, arrivals: 1);
        using var client = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 1 });
        var seen = await SeenAsync(client, app, "0000000a", HttpVersion.Version11);
        Assert.Equal("0000000a", seen.Slot);
        Assert.Null(await app.Straggler.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static async Task<Seen> SeenAsync(HttpClient client, Host app, string id, Version version)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{app.Port}/?id={id}")
        {
            Version = version,
            VersionPolicy = HttpVersionPolicy.RequestVersionExact,
        };
        using var response = await client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return JsonSerializer.Deserialize<Seen>(await response.Content.ReadAsStringAsync(), JsonSerializerOptions.Web)!;
    }

    /// <summary>A Kestrel host on 127.0.0.1 whose connections get a slot and whose one route enters the query's id.</summary>
    private async Task<Host> StartAsync(HttpProtocols protocols, int arrivals)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        var host = new Host(arrivals);
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = protocols;
            listen.Use(next => connection =>
            {
                Interlocked.Increment(ref host.ConnectionCount);
                return next(connection);
            });
            _current.UseConnectionSlot(listen);
        }));
        var app = builder.Build();
        app.MapGet("/", async (HttpContext context) =>
        {
            var id = context.Request.Query["id"].ToString();
            using (_current.Enter(context.Request, id, _logger))
            {
                await host.AllArrivedAsync(); // streams overlap: each waits for the others
                _ = Task.Run(async () =>
                {
                    await host.RequestEnded.Task;
                    host.Straggler.TrySetResult(_current.Value);
                });
                var seen = new Seen(_current.Value, _logger.RequestId);
                await context.Response.WriteAsJsonAsync(seen);
            }
            host.RequestEnded.TrySetResult();
        });
        await app.StartAsync();
        host.App = app;
        return host;
    }

    /// <summary>What the route saw: the id in its connection's slot, and the id of its logging scope.</summary>
    private sealed record Seen(string? Slot, string? Scope);

    private sealed class Host(int arrivals) : IAsyncDisposable
    {
        private int _arrived;
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int ConnectionCount;
        public WebApplication App { get; set; } = null!;
        public TaskCompletionSource RequestEnded { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public TaskCompletionSource<string?> Straggler { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public int Connections => Volatile.Read(ref ConnectionCount);
        public int Port => new Uri(App.Urls.First()).Port;

        public Task AllArrivedAsync()
        {
            if (Interlocked.Increment(ref _arrived) >= arrivals) _all.TrySetResult();
            return _all.Task.WaitAsync(TimeSpan.FromSeconds(10));
        }

        public async ValueTask DisposeAsync()
        {
            await App.StopAsync();
            await App.DisposeAsync();
        }
    }

    /// <summary>A logger whose scopes are kept the way the logging factory keeps them (an async-local stack).</summary>
    private sealed class ScopeLogger : ILogger
    {
        private readonly LoggerExternalScopeProvider _scopes = new();

        public string? RequestId
        {
            get
            {
                string? id = null;
                _scopes.ForEachScope((scope, _) =>
                {
                    if (scope is RequestIdScope r) id = r.RequestId;
                }, (object?)null);
                return id;
            }
        }

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => _scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => false;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            NullLogger.Instance.Log(logLevel, eventId, state, exception, formatter);
    }
}
