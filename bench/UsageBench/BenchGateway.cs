using System.Text.RegularExpressions;
using CliProxy.Gateway.Usage;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CliProxy.UsageBench;

/// <summary>The gateway (embedded mode, a temp copy of tests/fixtures/config/full.yaml) hosted in this process, HTTP in memory.</summary>
public sealed class BenchGateway : IAsyncDisposable
{
    public const string Key = "mgmt-key-for-tests";
    private readonly Factory _factory;
    private readonly string _dir;

    private BenchGateway(Factory factory, string dir)
    {
        _factory = factory;
        _dir = dir;
        Client = factory.CreateClient(new WebApplicationFactoryClientOptions { BaseAddress = new Uri("http://127.0.0.1") });
        Client.DefaultRequestHeaders.Authorization = new("Bearer", Key);
        Client.Timeout = TimeSpan.FromMinutes(2);
    }

    public HttpClient Client { get; }
    public IUsageRecorder Recorder => _factory.Services.GetRequiredService<IUsageRecorder>();
    public UsageFlusher Flusher => _factory.Services.GetRequiredService<UsageFlusher>();
    public string DataDirectory => Path.Combine(_dir, "data");

    public static async Task<BenchGateway> StartAsync(IDictionary<string, string?> settings)
    {
        var root = Root();
        var dir = Path.Combine(Path.GetTempPath(), "cliproxy-usage-bench-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        var config = File.ReadAllText(Path.Combine(root, "tests", "fixtures", "config", "full.yaml"));
        File.WriteAllText(Path.Combine(dir, "config.yaml"), Regex.Replace(config, @"(?m)^port:.*$", "port: 0"));
        var commandLine = new Dictionary<string, string?>(settings) { ["config"] = Path.Combine(dir, "config.yaml") };
        var gateway = new BenchGateway(new Factory(commandLine), dir);
        for (var i = 0; ; i++)
        {
            if ((await gateway.Client.GetAsync("/readyz")).IsSuccessStatusCode) return gateway;
            if (i > 600) throw new TimeoutException("gateway not ready");
            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _factory.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private static string Root()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Orleans.sln"))) return d.FullName;
        throw new InvalidOperationException("Orleans.sln not found");
    }

    private sealed class Factory(Dictionary<string, string?> commandLine) : WebApplicationFactory<Program>
    {
        protected override IHost CreateHost(IHostBuilder builder)
        {
            builder.UseEnvironment(Environments.Production);
            builder.ConfigureHostConfiguration(c => c.AddInMemoryCollection(commandLine));
            return base.CreateHost(builder);
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseContentRoot(Path.Combine(Root(), "src", "Gateway"));
            builder.ConfigureLogging(l => l.ClearProviders().AddSimpleConsole().SetMinimumLevel(LogLevel.Warning));
        }
    }
}
