namespace CliProxy.Harness;

/// <summary>
/// Settings shared by every node of a <see cref="ClusterHarness"/>. Failure detection, response
/// timeout and gateway list refresh are the product's defaults unless a test sets them.
/// </summary>
public sealed record ClusterHarnessOptions
{
    /// <summary>The key tests send (the plaintext of the imported document's secret; default that of <c>fixtures/config/full.yaml</c>).</summary>
    public string ManagementKey { get; init; } = "mgmt-key-for-tests";

    /// <summary><c>Cluster:GatewayListRefresh</c>, or null (default) for the product's default.</summary>
    public TimeSpan? GatewayListRefresh { get; init; }

    /// <summary><c>Cluster:ResponseTimeout</c>, or null (default) for the product's default.</summary>
    public TimeSpan? ResponseTimeout { get; init; }

    /// <summary>Environment variables of every node (e.g. the logins' upstreams at a fake provider); a node's own settings win.</summary>
    public IReadOnlyDictionary<string, string> NodeEnvironment { get; init; } = new Dictionary<string, string>();

    /// <summary>How long a node may take to become ready (default 60 s: two cores, cold JIT, parallel tests).</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How long a graceful stop may take before the node is killed and the stop fails (default 45 s).</summary>
    public TimeSpan StopTimeout { get; init; } = TimeSpan.FromSeconds(45);

    /// <summary>Keep the harness folder (node logs, exported files) after dispose; also on when <c>CLIPROXY_TEST_KEEP_CLUSTER=1</c>.</summary>
    public bool KeepDirectory { get; init; } = Environment.GetEnvironmentVariable("CLIPROXY_TEST_KEEP_CLUSTER") == "1";
}

/// <summary>Per-silo settings for <see cref="ClusterHarness.StartSiloAsync"/>.</summary>
public sealed record SiloStartOptions
{
    /// <summary><c>Cluster:ImportConfig</c>: a config.yaml imported (with its <c>auth-dir</c>) when the database holds no document yet.</summary>
    public string? ImportConfig { get; init; }

    /// <summary>Further <c>--Section:Key=value</c> arguments.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Further environment variables (override the harness's).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}

/// <summary>Per-gateway settings for <see cref="ClusterHarness.StartGatewayAsync"/>.</summary>
public sealed record GatewayStartOptions
{
    /// <summary>
    /// Sets <c>Http:TrustedProxies:0=127.0.0.1</c>, so that <c>X-Forwarded-For</c> sent by the test
    /// names the client (distinct client addresses for ban tests). Default true.
    /// </summary>
    public bool TrustLoopbackProxy { get; init; } = true;

    /// <summary>The <c>MANAGEMENT_PASSWORD</c> environment variable of the process, or null for none.</summary>
    public string? ManagementPassword { get; init; }

    /// <summary>
    /// Wait until <c>/readyz</c> answers 200 and the start-up banner is printed (default). False returns
    /// as soon as the process runs, e.g. for a gateway that is expected to refuse to start.
    /// </summary>
    public bool WaitUntilReady { get; init; } = true;

    /// <summary>Further <c>--Section:Key=value</c> arguments.</summary>
    public IReadOnlyList<string> ExtraArguments { get; init; } = [];

    /// <summary>Further environment variables (override the harness's).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
}
