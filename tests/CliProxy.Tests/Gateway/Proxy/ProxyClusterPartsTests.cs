using System.Text;
using CliProxy.Domain.Proxy.Upstreams;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>The proxy with the gateway's own cooldown board and usage path (only the executor is a test one).</summary>
[Http]
public sealed class ProxyClusterPartsTests
{
    [Fact]
    public async Task A_429_cools_the_credential_on_the_board_and_usage_counts_both_attempts()
    {
        await using var upstream = await FakeOpenAIUpstream.StartAsync();
        var config = $"""
            remote-management:
              secret-key: {Mgmt.Key}
            usage-statistics-enabled: true
            openai-compatibility:
              - name: mixed
                base-url: {upstream.BaseUrl}
                api-key-entries:
                  - api-key: k-429
                  - api-key: k-ok
                models:
                  - name: m-model
            """;
        await using var gateway = InProcessGateway.Prepare(config)
            .WithServices(s => s.Insert(0, ServiceDescriptor.Singleton<IUpstreamExecutor>(new TestOpenAIChatExecutor(upstream.BaseUrl))));
        await gateway.StartAsync();
        async Task<int> ChatAsync()
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
            {
                Content = new StringContent("""{"model":"m-model","messages":[]}""", Encoding.UTF8, "application/json"),
            };
            using var response = await gateway.Client.SendAsync(request);
            return (int)response.StatusCode;
        }
        Assert.Equal(200, await ChatAsync());
        Assert.Equal(200, await ChatAsync());
        Assert.Equal(["k-429", "k-ok", "k-ok"], upstream.Keys); // the second request skips the cooled credential
        await Mgmt.Eventually(async () => (int?)(await gateway.GetJson("/usage"))["usage"]?["total_requests"] == 3, TimeSpan.FromSeconds(10), "three attempts counted");
        var usage = (await gateway.GetJson("/usage"))["usage"]!;
        Assert.Equal((1, 2), ((int)usage["failure_count"]!, (int)usage["success_count"]!));
    }
}
