using CliProxy.Domain.Proxy.Cooldowns;
using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Gateway.Usage;
using CliProxy.Tests.Domain.Proxy;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>
/// One in-process gateway in front of a <see cref="FakeOpenAIUpstream"/>, with the test executor, an in-memory cooldown
/// board and a recording usage sink. Each OpenAI-compatible provider of the config serves one scenario under its own model.
/// </summary>
public sealed class ProxyGateway : IAsyncLifetime
{
    /// <summary>The client key.</summary>
    public const string ClientKey = "client-1";

    /// <summary>The Qwen auth file in the auth folder at start (access token <c>tok-q</c>).</summary>
    public const string QwenFile = "qwen-a.json";

    /// <summary>The upstream.</summary>
    public FakeOpenAIUpstream Upstream { get; private set; } = null!;

    /// <summary>The gateway.</summary>
    public InProcessGateway Gateway { get; private set; } = null!;

    /// <summary>The cooldowns the proxy reported.</summary>
    public InMemoryCooldownBoard Board { get; } = new();

    /// <summary>The usage records.</summary>
    public RecordingUsage Usage { get; } = new();

    /// <summary>The requests the proxy reported to its metrics.</summary>
    public RecordingProxyMetrics Metrics { get; } = new();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Upstream = await FakeOpenAIUpstream.StartAsync();
        string Provider(string name, string model, params string[] keys) => $"""
              - name: {name}
                base-url: {Upstream.BaseUrl}
                api-key-entries:
            {string.Concat(keys.Select(k => $"      - api-key: {k}\n"))}    models:
                  - name: {model}

            """;
        var config = $"""
            auth-dir: ./auths
            remote-management:
              secret-key: {Mgmt.Key}
            api-keys: [{ClientKey}]
            request-retry: 1
            max-retry-interval: 5
            openai-compatibility:
              - name: fake
                base-url: {Upstream.BaseUrl}
                prefix: team
                headers:
                  X-Extra: "yes"
                api-key-entries:
                  - api-key: k-ok
                models:
                  - name: up-model
                    alias: short
            {Provider("mixed", "m-model", "k-429", "k-ok")}{Provider("quota", "q-model", "k-429")}{Provider("flaky", "f-model", "k-500")}{Provider("bad", "b-model", "k-400")}{Provider("hang", "h-model", "k-hang")}{Provider("whole", "w-model", "k-ok")}{Provider("counted", "c-model", "k-ok")}{Provider("counted-bad", "cb-model", "k-400")}{Provider("payload", "p-model", "k-ok")}
            payload:
              default:
                - models:
                    - name: "p-*"
                      protocol: "openai"
                  params:
                    "temperature": 0.5
                    "metadata.team": "a"
              override:
                - models:
                    - name: "p-model"
                  params:
                    "max_tokens": 64
              filter:
                - models:
                    - name: "p-model"
                      protocol: "claude"
                  params: ["messages"]
            """;
        Gateway = InProcessGateway.Prepare(config).WithServices(services =>
        {
            // First: the proxy takes the first executor that serves a credential (the real Qwen one would call Qwen).
            services.Insert(0, ServiceDescriptor.Singleton<IUpstreamExecutor>(new TestOpenAIChatExecutor(Upstream.BaseUrl)));
            services.AddSingleton<ICooldownBoard>(Board);
            services.AddSingleton<IUsageRecorder>(Usage);
            services.AddSingleton<CliProxy.Gateway.Metrics.IProxyMetrics>(Metrics);
        });
        Directory.CreateDirectory(Gateway.AuthDir());
        await File.WriteAllTextAsync(Gateway.AuthPath(QwenFile), """{"type":"qwen","access_token":"tok-q","email":"q@example.com"}""");
        await Gateway.StartAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}
