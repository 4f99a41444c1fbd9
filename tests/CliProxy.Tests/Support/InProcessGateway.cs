using System.Net;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CliProxy.Tests.Support;

/// <summary>
/// The gateway in the test process (<see cref="WebApplicationFactory{TEntryPoint}"/> on the
/// gateway's own entry point, so start-up runs exactly as in the process: config bootstrap, the
/// co-hosted silo on free ports, start-up checks): HTTP goes through the in-memory test server
/// instead of a socket, the socket peer of every request is 127.0.0.1 (what the process sees from
/// a test client), and the log is kept in <see cref="Output"/>. Ready, as the process, once it
/// logged <see cref="GatewayProcess.ReadyLine"/> and <c>/readyz</c> answers 200.
/// </summary>
public sealed class InProcessGateway : TestGateway
{
    private readonly Dictionary<string, string?> _commandLine;
    private readonly LogCapture _log = new();
    private GatewayFactory? _factory;
    private Action<IServiceCollection>? _services;

    private InProcessGateway(string configText, Dictionary<string, string>? environment, string[] arguments) : base(configText)
    {
        _commandLine = CommandLineOf(environment ?? [], arguments);
        _commandLine["config"] = ConfigPath;
    }

    /// <inheritdoc />
    public override string Output => _log.Text;

    /// <summary>
    /// Starts a gateway on <paramref name="configText"/> and waits until it is ready.
    /// <paramref name="environment"/> may hold <c>CLIPROXY_*</c> settings (passed as the settings
    /// they stand for) and variables equal to the test process's; <paramref name="arguments"/> are
    /// the gateway's command line.
    /// </summary>
    public static async Task<InProcessGateway> StartAsync(string configText, Dictionary<string, string>? environment = null, params string[] arguments)
    {
        var gateway = Prepare(configText, environment, arguments);
        await gateway.StartAsync();
        return gateway;
    }

    /// <summary>Changes the services by <paramref name="services"/> at the next start (after the gateway's own registrations: test fakes win).</summary>
    public InProcessGateway WithServices(Action<IServiceCollection> services)
    {
        _services = services;
        return this;
    }

    /// <summary>Prepares the folder without starting, so that a test can put files into <see cref="TestGateway.Directory"/> first.</summary>
    public static InProcessGateway Prepare(string configText, Dictionary<string, string>? environment = null, params string[] arguments) =>
        new(configText, environment, arguments);

    /// <summary>Starts the host and waits for readiness; a start whose silo lost a picked port to another test is retried.</summary>
    public async Task StartAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await StartOnceAsync();
                return;
            }
            catch (Exception e) when (attempt < 5 && e.ToString().Contains("address already in use", StringComparison.OrdinalIgnoreCase))
            {
                await StopAsync();
            }
        }
    }

    private async Task StartOnceAsync()
    {
        var mark = _log.Length;
        _factory = new GatewayFactory(_commandLine, _log, _services);
        var client = _factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://127.0.0.1"), HandleCookies = false });
        client.Timeout = TimeSpan.FromSeconds(30);
        UseClient(client);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            if (_log.Text.IndexOf(GatewayProcess.ReadyLine, mark, StringComparison.Ordinal) >= 0)
            {
                using var response = await client.GetAsync("/readyz");
                if (response.IsSuccessStatusCode) return;
            }
            if (DateTime.UtcNow > deadline) throw new TimeoutException("gateway not ready:\n" + Output);
            await Task.Delay(20);
        }
    }

    /// <summary>The running gateway's services (after <see cref="StartAsync()"/>).</summary>
    public IServiceProvider Services => _factory?.Services ?? throw new InvalidOperationException("not started");

    /// <inheritdoc />
    public override HttpClient CreateClient(bool allowAutoRedirect = true)
    {
        var client = _factory!.CreateClient(new WebApplicationFactoryClientOptions
        {
            BaseAddress = new Uri("http://127.0.0.1"), AllowAutoRedirect = allowAutoRedirect, HandleCookies = false,
        });
        client.Timeout = TimeSpan.FromSeconds(30);
        return client;
    }

    /// <summary>Stops the host gracefully (what a SIGTERM does to the process).</summary>
    public override async Task StopAsync()
    {
        if (_factory is null) return;
        await _factory.DisposeAsync();
        _factory = null;
    }

    /// <summary>
    /// The settings of <paramref name="environment"/> (<c>CLIPROXY_*</c>; other variables the gateway
    /// reads from the process, which tests in one process cannot set apart, so they must equal the
    /// test process's own) and the
    /// <c>--name value</c> / <c>--name=value</c> pairs of <paramref name="arguments"/>.
    /// </summary>
    private static Dictionary<string, string?> CommandLineOf(Dictionary<string, string> environment, string[] arguments)
    {
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in environment)
        {
            if (!name.StartsWith("CLIPROXY_", StringComparison.Ordinal))
            {
                // The gateway reads it from the test process: fine when that holds the same (unset counts as empty).
                if ((Environment.GetEnvironmentVariable(name) ?? "") == value) continue;
                throw new NotSupportedException($"{name}={value} differs from the test process's environment: use GatewayProcess");
            }
            settings[name["CLIPROXY_".Length..].Replace("__", ":", StringComparison.Ordinal)] = value;
        }
        for (var i = 0; i < arguments.Length; i++)
        {
            var name = arguments[i].TrimStart('-');
            if (name.IndexOf('=') is var eq and > 0) settings[name[..eq]] = name[(eq + 1)..];
            else settings[name] = arguments[++i];
        }
        foreach (var processWide in new[] { "MANAGEMENT_PASSWORD", "MANAGEMENT_STATIC_PATH" })
            if (Environment.GetEnvironmentVariable(processWide) is not null)
                throw new InvalidOperationException($"{processWide} is set in the test process; in-process gateways would read it");
        return settings;
    }

    /// <summary>
    /// The factory: the gateway's entry point receives the host settings as its command line
    /// (<c>--config=…</c>, <c>--password=…</c>, <c>--Section:Key=…</c>); the environment is
    /// Production as in the process; logs go to <see cref="LogCapture"/> only.
    /// </summary>
    private sealed class GatewayFactory(Dictionary<string, string?> commandLine, LogCapture log, Action<IServiceCollection>? services) : WebApplicationFactory<Program>
    {
        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.UseEnvironment(Environments.Production);
            builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(commandLine));
            return base.CreateHost(builder);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.ConfigureLogging(logging =>
            {
                logging.ClearProviders();
                logging.AddProvider(log);
            });
            builder.ConfigureServices(s => s.AddSingleton<IStartupFilter, LoopbackPeer>());
            if (services is not null) builder.ConfigureServices(services);
        }
    }

    /// <summary>Gives every request the socket peer a test client of the process has: 127.0.0.1.</summary>
    private sealed class LoopbackPeer : IStartupFilter
    {
        public Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> Configure(Action<Microsoft.AspNetCore.Builder.IApplicationBuilder> next) => app =>
        {
            app.Use(nextMiddleware => context =>
            {
                context.Connection.RemoteIpAddress = IPAddress.Loopback;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
