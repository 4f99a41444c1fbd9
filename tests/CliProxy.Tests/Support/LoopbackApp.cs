using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;

namespace CliProxy.Tests.Support;

/// <summary>The in-process HTTP servers of the tests' fake upstreams: Kestrel on 127.0.0.1, a free port, no logging.</summary>
public static class LoopbackApp
{
    /// <summary>A slim web application listening on 127.0.0.1 at a port chosen when it starts; map routes, then start it.</summary>
    public static WebApplication Create()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        return builder.Build();
    }

    /// <summary>The port a started <paramref name="app"/> listens on.</summary>
    public static int PortOf(WebApplication app) => new Uri(app.Urls.First()).Port;

    /// <summary>Stops and disposes <paramref name="app"/>.</summary>
    public static async ValueTask StopAsync(WebApplication app)
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
