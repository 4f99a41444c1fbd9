using System.Security.Cryptography;
using System.Text;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Management;

namespace CliProxy.Gateway.Endpoints;

/// <summary>
/// <c>GET /keep-alive</c>, registered only when a local password was given with
/// <c>--password</c>: the caller presents the local password (<c>Authorization: Bearer</c>, a bare
/// <c>Authorization</c> value, or <c>X-Local-Password</c>); a mismatch answers
/// <c>401 {"error":"invalid password"}</c>. Once a client has sent a keep-alive, the process stops
/// when none arrives for 10 seconds (the reference arms this at start-up, which would stop any
/// server started with a local password that nobody pings; here a client opts in by pinging).
/// </summary>
public static class KeepAliveEndpoints
{
    /// <summary>Silence after which the process stops.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    /// <summary>Adds the route when <paramref name="secrets"/> has a local password.</summary>
    public static WebApplication MapKeepAlive(this WebApplication app, ManagementSecrets secrets)
    {
        if (secrets.LocalPassword.Length == 0) return app;
        var watchdog = new KeepAliveWatchdog(app.Lifetime, Timeout, app.Services.GetRequiredService<TimeProvider>());
        app.MapGet("/keep-alive", (HttpRequest request) =>
        {
            var given = PresentedKeys.LocalPassword(request);
            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(secrets.LocalPassword)))
                return JsonResponses.Error(401, "invalid password");
            watchdog.Ping();
            return JsonResponses.Json(new System.Text.Json.Nodes.JsonObject { ["status"] = "ok" });
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>Stops the application when pings stop (after the first one).</summary>
    private sealed class KeepAliveWatchdog(IHostApplicationLifetime lifetime, TimeSpan timeout, TimeProvider time)
    {
        private ITimer? _timer;

        public void Ping()
        {
            var timer = _timer ??= time.CreateTimer(_ => lifetime.StopApplication(), null, timeout, System.Threading.Timeout.InfiniteTimeSpan);
            timer.Change(timeout, System.Threading.Timeout.InfiniteTimeSpan);
        }
    }
}
