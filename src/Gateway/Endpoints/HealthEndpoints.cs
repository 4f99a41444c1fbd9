using System.Text.Json.Nodes;
using CliProxy.Abstractions.Config;

namespace CliProxy.Gateway.Endpoints;

/// <summary>
/// Probes: <c>GET /healthz</c> answers 200 once HTTP is up (the silo starts before HTTP) with
/// <c>{"status":"ok","version":…,"commit":…,"build_date":…}</c> (the build identity of the
/// <c>X-CPA-*</c> headers, <see cref="BuildInfo"/>);
/// <c>GET /readyz</c> answers 200 only when the config grain answers (it is activated and its
/// storage was read) and the gateway is not stopping (<see cref="Hosting.GatewayDrain"/>), else 503.
/// </summary>
public static class HealthEndpoints
{
    /// <summary>Adds the probes.</summary>
    public static WebApplication MapHealth(this WebApplication app)
    {
        var build = app.Services.GetRequiredService<BuildInfo>();
        var health = new JsonObject { ["status"] = "ok", ["version"] = build.Version, ["commit"] = build.Commit, ["build_date"] = build.BuildDate }.ToJsonString();
        app.MapGet("/healthz", () => Results.Text(health, "application/json")).WithTags("Probes").ExcludeFromDescription();
        app.MapGet("/readyz", async (ConfigCache.ConfigSnapshotCache configs, Hosting.GatewayDrain drain, CancellationToken ct) =>
        {
            if (drain.IsDraining) return Results.Text("{\"status\":\"stopping\"}", "application/json", statusCode: StatusCodes.Status503ServiceUnavailable);
            try
            {
                await configs.Grain.GetVersion().WaitAsync(TimeSpan.FromSeconds(5), ct);
                return Results.Text("{\"status\":\"ready\"}", "application/json");
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                return Results.Text("{\"status\":\"unavailable\"}", "application/json", statusCode: StatusCodes.Status503ServiceUnavailable);
            }
        }).WithTags("Probes").ExcludeFromDescription();
        return app;
    }
}
