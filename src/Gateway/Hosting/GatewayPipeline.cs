using CliProxy.Gateway.Endpoints;
using CliProxy.Gateway.Endpoints.AuthFiles;
using CliProxy.Gateway.Endpoints.Logs;
using CliProxy.Gateway.Endpoints.OAuth;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Idempotency;
using CliProxy.Gateway.Logging;
using CliProxy.Gateway.Management;
using CliProxy.Gateway.Metrics;
using CliProxy.Gateway.Proxy.Endpoints;

namespace CliProxy.Gateway.Hosting;

/// <summary>The gateway's HTTP pipeline and route table.</summary>
public static class GatewayPipeline
{
    /// <summary>Prefix of the management API.</summary>
    public const string ManagementPrefix = "/v0/management";

    /// <summary>Adds middleware and maps every route.</summary>
    public static WebApplication MapGateway(this WebApplication app, GatewayHost host)
    {
        app.UseGatewayLogs(); // first: every request gets its id, its access line and its request log
        app.Use(app.Services.GetRequiredService<GatewayDrain>().CloseConnectionsWhileDraining);
        app.UseMiddleware<CorsMiddleware>();
        app.UseGatewayErrors();
        app.UseCaseSensitiveRouting();
        app.UseTrailingSlashRedirect();
        app.MapHealth();
        app.MapKeepAlive(app.Services.GetRequiredService<ManagementSecrets>());
        app.MapControlPanel(host.PanelPath);
        app.MapGatewayMetrics();
        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapOAuthCallbacks();
        app.MapProxy();
        var management = app.MapGroup(ManagementPrefix).AddEndpointFilter(app.Services.GetRequiredService<ManagementAccessFilter>())
            .AddEndpointFilter(app.Services.GetRequiredService<IdempotencyFilter>()); // after the access filter: only accepted requests
        management.MapConfigDocument().MapLatestVersion().MapConfigResources();
        management.MapAuthFileReads().MapAuthFileUploads().MapAuthFileChanges().MapVertexImport();
        management.MapUsage().MapApiKeyUsage();
        management.MapOAuthStarts().MapOAuthSessions().MapOAuthCookieLogin();
        management.MapLogs().MapRequestLogs().MapApiCall();
        return app;
    }
}
