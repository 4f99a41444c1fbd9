using System.Net;

namespace CliProxy.Gateway.Logins;

/// <summary>
/// One web-UI callback forwarder (spec <c>management-auth.md</c> §5.7): a minimal Kestrel listener on a
/// provider's fixed callback port that answers every path and method with <c>302 Found</c> to this
/// gateway's callback route plus the request's raw query, with <c>Cache-Control: no-store</c>.
/// </summary>
public sealed class ForwarderListener : IAsyncDisposable
{
    /// <summary>Read-header limit of a request, as the reference's (5 s).</summary>
    public static readonly TimeSpan HeaderTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Longest a graceful stop may take, as the reference's (2 s).</summary>
    public static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(2);

    private readonly WebApplication _app;

    private ForwarderListener(WebApplication app, int port)
    {
        _app = app;
        Port = port;
    }

    /// <summary>The port it listens on.</summary>
    public int Port { get; }

    /// <summary>
    /// Listens on <paramref name="bind"/>:<paramref name="port"/> and redirects to <paramref name="target"/>.
    /// </summary>
    /// <exception cref="IOException">The port is taken (or the address cannot be bound).</exception>
    public static async Task<ForwarderListener> StartAsync(IPAddress bind, int port, string target, CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.RequestHeadersTimeout = HeaderTimeout;
            kestrel.Listen(bind, port);
        });
        var app = builder.Build();
        app.Run(http =>
        {
            http.Response.StatusCode = StatusCodes.Status302Found;
            http.Response.Headers.CacheControl = "no-store";
            http.Response.Headers.Location = Redirect(target, http.Request.QueryString.Value);
            return Task.CompletedTask;
        });
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch
        {
            await app.DisposeAsync();
            throw;
        }
        return new ForwarderListener(app, port);
    }

    /// <summary>The redirect of a request: the target with the raw query appended (<c>&amp;</c> when the target has a query already).</summary>
    public static string Redirect(string target, string? rawQuery)
    {
        var query = (rawQuery ?? "").TrimStart('?');
        if (query.Length == 0) return target;
        return target + (target.Contains('?', StringComparison.Ordinal) ? "&" : "?") + query;
    }

    /// <summary>Stops gracefully within <see cref="StopTimeout"/>, then closes the socket.</summary>
    public async ValueTask DisposeAsync()
    {
        using (var limit = new CancellationTokenSource(StopTimeout))
        {
            try
            {
                await _app.StopAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                // Connections still open after the limit are closed by the dispose below.
            }
        }
        await _app.DisposeAsync();
    }
}
