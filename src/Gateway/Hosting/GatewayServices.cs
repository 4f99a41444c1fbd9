using System.Net;
using System.Security.Cryptography.X509Certificates;
using CliProxy.Domain.Outbound;
using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Gateway.ApiCall;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Credentials;
using CliProxy.Gateway.Idempotency;
using CliProxy.Gateway.Logging;
using CliProxy.Gateway.Logins;
using CliProxy.Gateway.Management;
using CliProxy.Gateway.Metrics;
using CliProxy.Gateway.Mirrors;
using CliProxy.Gateway.Proxy;
using CliProxy.Gateway.Proxy.Cooldowns;
using CliProxy.Gateway.Releases;
using CliProxy.Gateway.Usage;

namespace CliProxy.Gateway.Hosting;

/// <summary>Service registration and Kestrel set-up of the gateway (both modes).</summary>
public static class GatewayServices
{
    /// <summary>Default of <c>Http:DrainDelay</c> in the cluster modes (see <see cref="GatewayDrain"/>).</summary>
    public static readonly TimeSpan DefaultDrainDelay = TimeSpan.FromSeconds(2);

    /// <summary>Registers the gateway's services.</summary>
    public static WebApplicationBuilder AddGateway(this WebApplicationBuilder builder, GatewayHost host, GatewayCommandLine cli)
    {
        var services = builder.Services;
        var http = HttpSettings.From(builder.Configuration);
        services.AddSingleton(host);
        var build = BuildInfo.FromAssembly();
        services.AddSingleton(build);
        services.AddSingleton(TimeProvider.System);
        var envSecret = (Environment.GetEnvironmentVariable("MANAGEMENT_PASSWORD") ?? "").Trim();
        services.AddSingleton(new ManagementSecrets(envSecret, cli.LocalPassword));
        services.AddSingleton<ManagementKeyVerifier>();
        services.AddSingleton<ManagementAvailability>();
        services.AddSingleton(new ClientAddressResolver(http.TrustedProxies));
        services.AddSingleton<ManagementAccessFilter>();
        services.AddSingleton<IdempotencyFilter>();
        services.AddGrainStateMirror<ManagementAccessCache>();
        services.AddGrainStateMirror<ConfigSnapshotCache>();
        services.AddGrainStateMirror<CredentialIndexMirror>();
        services.AddCooldownBoard();
        services.AddUsageRecording(); // before GatewayDrain: stops after it, so its final flush follows the last request
        services.AddOutboundHttp(builder.Configuration.GetSection(OutboundHttpOptions.Section).Get<OutboundHttpOptions>());
        services.AddLatestRelease(builder.Configuration);
        services.AddApiCall(host.Port);
        services.AddUpstreamExecutors(builder.Configuration);
        services.AddProxy(); // after AddApiCall: shares its ICredentialTokenSource
        services.AddCallbackForwarders(builder.Configuration);
        services.AddGatewayMetrics(builder.Configuration, build);
        services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30)); // drain in-flight requests
        // Behind a load balancer (cluster modes) a stopping gateway first drains; one process on its own stops at once.
        var embedded = (builder.Configuration[ClusterGateway.ModeKey] ?? "embedded") == "embedded";
        services.AddGatewayLogs(builder.Configuration, host, embedded ? cli.ConfigPath ?? "config.yaml" : null);
        var drain = http.DrainDelay ?? (embedded ? TimeSpan.Zero : DefaultDrainDelay);
        services.AddSingleton(sp => new GatewayDrain(drain, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<GatewayDrain>>()));
        services.AddHostedService(sp => sp.GetRequiredService<GatewayDrain>());
        services.AddOpenApi(options => options.AddDocumentTransformer((document, _, _) =>
        {
            document.Info.Title = "CLIProxy management API";
            document.Info.Description = "Management routes under /v0/management (key in Authorization: Bearer or X-Management-Key).";
            document.Info.Version = build.Version;
            return Task.CompletedTask;
        }));
        builder.Logging.AddFilter("Orleans", LogLevel.Warning);
        builder.Logging.AddFilter("Orleans.Runtime.Watchdog", LogLevel.Error); // a spurious warning on about half of the starts
        builder.Logging.AddFilter("Polly", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // Hosting's request logger logs nothing above Information, but while it is enabled at all, hosting starts an
        // Activity and a logging scope for every request, and the forwarder a child Activity for every upstream call.
        // The access line and the request id say what they would; an ActivityListener (tracing) still gets its activities.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        // YARP's forwarder logs two Information lines per proxied request ("Proxying to …", "Received HTTP/1.1
        // response …"): a third of the proxy's console time in the benchmark; the access line says the same.
        builder.Logging.AddFilter("Yarp", LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = null; // limits are per route (BodyReader)
            var requestIds = kestrel.ApplicationServices.GetRequiredService<CurrentRequestId>();
            void Https(Microsoft.AspNetCore.Server.Kestrel.Core.ListenOptions o)
            {
                requestIds.UseConnectionSlot(o);
                if (host.Tls is { } tls) o.UseHttps(X509Certificate2.CreateFromPemFile(tls.Cert, tls.Key));
            }
            if (host.Host.Length == 0) kestrel.ListenAnyIP(host.Port, Https);
            else if (host.Host == "localhost") kestrel.ListenLocalhost(host.Port, Https);
            else kestrel.Listen(IPAddress.Parse(host.Host), host.Port, Https);
        });
        return builder;
    }
}
