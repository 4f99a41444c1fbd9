using CliProxy.Tests.Gateway.Proxy;

namespace CliProxy.Tests.Cluster.Harness;

/// <summary>
/// Class fixture: one silo and two gateway processes (<see cref="A"/>, <see cref="B"/>) on PostgreSQL in front of a
/// <see cref="FakeOpenAIUpstream"/> in the test process (127.0.0.1, reached by the gateway processes). The imported
/// document has two OpenAI-compatible providers of three keys each: <c>rr</c> (<c>k-a</c>, <c>k-b</c>, <c>k-c</c>;
/// models <c>m-spread</c> and <c>m-cool</c>) and <c>edit</c> (<c>k-d</c>, <c>k-e</c>, <c>k-f</c>; model <c>m-edit</c>),
/// so that a cooldown or an edit of one test does not touch the others. Client key <see cref="ClientKey"/>.
/// </summary>
public sealed class ProxyPairCluster(PostgresServer postgres) : IAsyncLifetime
{
    /// <summary>The client key of the document.</summary>
    public const string ClientKey = "client-1";

    private ClusterHarness? _harness;

    /// <summary>The harness (available after initialisation).</summary>
    public ClusterHarness Harness => _harness ?? throw new InvalidOperationException("not initialised");

    /// <summary>The upstream both gateways forward to.</summary>
    public FakeOpenAIUpstream Upstream { get; private set; } = null!;

    /// <summary>The first gateway.</summary>
    public GatewayNode A { get; private set; } = null!;

    /// <summary>The second gateway.</summary>
    public GatewayNode B { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Upstream = await FakeOpenAIUpstream.StartAsync();
        _harness = await ClusterHarness.CreateAsync(postgres, new ClusterHarnessOptions());
        try
        {
            var importDirectory = Path.Combine(Harness.Directory, "import");
            Directory.CreateDirectory(importDirectory);
            var importPath = Path.Combine(importDirectory, "config.yaml");
            await File.WriteAllTextAsync(importPath, $"""
                remote-management:
                  allow-remote: false
                  secret-key: "{Harness.Options.ManagementKey}"
                api-keys: [{ClientKey}]
                request-retry: 1
                max-retry-interval: 5
                routing:
                  strategy: round-robin
                openai-compatibility:
                  - name: rr
                    base-url: {Upstream.BaseUrl}
                    api-key-entries:
                      - api-key: k-a
                      - api-key: k-b
                      - api-key: k-c
                    models:
                      - name: m-spread
                      - name: m-cool
                  - name: edit
                    base-url: {Upstream.BaseUrl}
                    api-key-entries:
                      - api-key: k-d
                      - api-key: k-e
                      - api-key: k-f
                    models:
                      - name: m-edit
                """);
            await Harness.StartSiloAsync(new SiloStartOptions { ImportConfig = importPath });
            var a = Harness.StartGatewayAsync();
            var b = Harness.StartGatewayAsync();
            (A, B) = (await a, await b);
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>A chat completion for <paramref name="model"/> through <paramref name="gateway"/> with the client key.</summary>
    public static Task<HttpResult> ChatAsync(GatewayNode gateway, string model) =>
        gateway.SendAsync(HttpMethod.Post, "/v1/chat/completions", $$"""{"model":"{{model}}","messages":[{"role":"user","content":"hi"}]}""", key: ClientKey);

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
        if (Upstream is not null) await Upstream.DisposeAsync();
    }
}
