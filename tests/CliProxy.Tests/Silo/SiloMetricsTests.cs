using System.Diagnostics.Metrics;
using CliProxy.Silo;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using OpenTelemetry.Metrics;

namespace CliProxy.Tests.Silo;

/// <summary>The silo process's opt-in metrics listener (<see cref="SiloMetrics"/>), on loopback in the test process.</summary>
[Http]
public sealed class SiloMetricsTests
{
    private static HostApplicationBuilder Builder(params (string Key, string Value)[] settings)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(settings.Select(s => new KeyValuePair<string, string?>(s.Key, s.Value)));
        return builder;
    }

    [Fact]
    public void Without_a_port_nothing_listens()
    {
        var builder = Builder();
        Assert.False(builder.AddSiloMetrics());
        using var host = builder.Build();
        Assert.Null(host.Services.GetService(typeof(MeterProvider)));
    }

    [Fact]
    public async Task With_a_port_it_serves_orleans_metrics_in_prometheus_text()
    {
        var port = FreePort.Next();
        var builder = Builder((SiloMetrics.PortKey, port.ToString(System.Globalization.CultureInfo.InvariantCulture)), (SiloMetrics.HostKey, "127.0.0.1"));
        Assert.True(builder.AddSiloMetrics());
        using var host = builder.Build();
        await host.StartAsync();
        try
        {
            // Stands for one of Orleans' instruments (its meter is static, named "Microsoft.Orleans").
            using var orleans = new Meter("Microsoft.Orleans");
            orleans.CreateCounter<long>("orleans-silo-metrics-test").Add(3);
            using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
            var text = await client.GetStringAsync($"http://127.0.0.1:{port}/metrics");
            Assert.Contains("orleans_silo_metrics_test_total{otel_scope_name=\"Microsoft.Orleans\"} 3", text);
            Assert.Contains("\ndotnet_", text);
        }
        finally
        {
            await host.StopAsync();
        }
    }
}
