using System.Net;
using System.Security.Cryptography.X509Certificates;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Endpoints;
using CliProxy.Gateway.Management;

namespace CliProxy.Gateway.Hosting;

/// <summary>Service registration and Kestrel set-up of the gateway (both modes).</summary>
public static class GatewayServices
{
    /// <summary>Registers the gateway's services.</summary>
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder, ConfigBootstrap boot, CommandLine cli)
    {
        var services = builder.Services;
        services.AddSingleton(boot);
        services.AddSingleton(BuildInfo.FromAssembly());
        services.AddSingleton(TimeProvider.System);
        var envSecret = (Environment.GetEnvironmentVariable("MANAGEMENT_PASSWORD") ?? "").Trim();
        services.AddSingleton(new ManagementSecrets(envSecret, cli.LocalPassword));
        services.AddSingleton<ManagementKeyVerifier>();
        services.AddSingleton<ManagementAvailability>();
        services.AddSingleton(new ClientAddressResolver(builder.Configuration.GetSection("Gateway:TrustedProxies").Get<string[]>() ?? []));
        services.AddSingleton<ManagementAccessFilter>();
        services.AddSingleton<ManagementAccessCache>();
        services.AddHostedService(sp => sp.GetRequiredService<ManagementAccessCache>());
        services.AddSingleton<ConfigSnapshotCache>();
        services.AddHostedService(sp => sp.GetRequiredService<ConfigSnapshotCache>());
        services.AddSingleton(new ReleaseClient(builder.Configuration["Gateway:LatestReleaseUrl"] ?? LatestVersionEndpoints.DefaultReleaseUrl));
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CLIProxy management API";
            document.Info.Description = "Management routes under /v0/management (key in Authorization: Bearer or X-Management-Key).";
            document.Info.Version = BuildInfo.FromAssembly().Version;
            return Task.CompletedTask;
        }));
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error); // a spurious warning on about half of the starts
        builder.Logging.AddFilter("Polly", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null; // limits are per route (BodyReader)
            void Https(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions o)
            {
                if (boot.Tls is { } tls) o.UseHttps(X509Certificate2.CreateFromPemFile(tls.Cert, tls.Key));
            }
            if (boot.Host.Length == 0) kestrel.ListenAnyIP(boot.Port, Https);
            else if (boot.Host == "localhost") kestrel.ListenLocalhost(boot.Port, Https);
            else kestrel.Listen(IPAddress.Parse(boot.Host), boot.Port, Https);
        });
        return builder;
    }

    /// <summary>The URL clients use to reach this gateway.</summary>
    public static string PublicUrl(ConfigBootstrap boot) =>
        $"{(boot.Tls is null ? "http" : "https")}://{(boot.Host is "" or "0.0.0.0" or "::" ? "127.0.0.1" : boot.Host.Contains(':') ? $"[{boot.Host}]" : boot.Host)}:{boot.Port}";
}
