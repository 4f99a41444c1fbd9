using CliProxy.Gateway.Hosting;

namespace CliProxy.Gateway.Logging;

/// <summary>Registration of the gateway's logs: the application log file, request ids and request logs (spec §2).</summary>
public static class LoggingServices
{
    /// <summary>
    /// Adds the log services; <paramref name="configPath"/> is the embedded mode's config file (null in the
    /// cluster modes), which places the log directory (<see cref="LogLocation"/>).
    /// </summary>
    public static IServiceCollection AddGatewayLogs(this IServiceCollection services, IConfiguration settings, GatewayHost host, string? configPath)
    {
        var location = LogLocation.Resolve(settings, configPath, host.Port);
        services.AddSingleton(location);
        services.AddSingleton<RequestIds>();
        services.AddSingleton<CurrentRequestId>();
        services.AddSingleton(sp => new MainLogFile(location.Directory, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<FileLoggerProvider>();
        services.AddSingleton<LogSettingsSource>();
        services.AddHostedService<LogMaintenance>();
        StdoutLoggerProvider.Replace(services);
        return services;
    }

    /// <summary>
    /// Starts writing the application log through <see cref="FileLoggerProvider"/> (added to the logger
    /// factory here, after the host's providers were chosen, so a host that replaces them keeps it), silences
    /// the console while the file is written (<see cref="StdoutLoggerProvider"/>) and
    /// puts <see cref="RequestLogMiddleware"/> first in the pipeline.
    /// </summary>
    public static WebApplication UseGatewayLogs(this WebApplication app)
    {
        app.Services.GetRequiredService<ILoggerFactory>().AddProvider(app.Services.GetRequiredService<FileLoggerProvider>());
        app.Services.GetService<StdoutLoggerProvider>()?.Follow(app.Services.GetRequiredService<LogSettingsSource>());
        app.UseMiddleware<RequestLogMiddleware>();
        return app;
    }
}
