using CliProxy.Gateway.ConfigCache;

namespace CliProxy.Gateway.Endpoints;

/// <summary>
/// <c>GET /management.html</c> (outside the management group, no key): serves
/// <c>static/management.html</c> next to the config file (or the file or folder named by
/// <c>MANAGEMENT_STATIC_PATH</c>). Nothing is downloaded; 404 when the file is absent or
/// <c>remote-management.disable-control-panel</c> is true.
/// </summary>
public static class ControlPanelEndpoints
{
    /// <summary>Adds the route; <paramref name="panelPath"/> is the resolved location of management.html.</summary>
    public static WebApplication MapControlPanel(this WebApplication app, string panelPath)
    {
        app.MapGet("/management.html", async (HttpContext http, ConfigSnapshotCache configs) =>
        {
            if ((await configs.GetAsync()).DisableControlPanel || !File.Exists(panelPath))
            {
                Http.NotFoundHandling.EmptyNotFound(http);
                return Results.Empty;
            }
            return Results.File(panelPath, "text/html; charset=utf-8", enableRangeProcessing: true,
                lastModified: File.GetLastWriteTimeUtc(panelPath));
        }).ExcludeFromDescription();
        return app;
    }

    /// <summary>Location of the panel file for a config file at <paramref name="configPath"/>.</summary>
    public static string ResolvePanelPath(string configPath, string? staticPathSetting)
    {
        if (!string.IsNullOrWhiteSpace(staticPathSetting))
        {
            return Path.GetFileName(staticPathSetting).Equals("management.html", StringComparison.OrdinalIgnoreCase)
                ? Path.GetFullPath(staticPathSetting)
                : Path.Combine(Path.GetFullPath(staticPathSetting), "management.html");
        }
        var dir = Directory.Exists(configPath) ? configPath : Path.GetDirectoryName(Path.GetFullPath(configPath))!;
        return Path.Combine(dir, "static", "management.html");
    }
}
