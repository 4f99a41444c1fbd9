using CliProxy.Tests.Support;
using CliProxy.Tests.Support.Fakes;

namespace CliProxy.Tests.Cluster.Harness;

/// <summary>
/// Class fixture: one <see cref="ClusterHarness"/> with two silos and two gateways (<see cref="A"/>,
/// <see cref="B"/>) shared by the tests of a class. The first silo imports a copy of
/// <c>fixtures/config/full.yaml</c> on its first start, with <c>allow-remote: true</c> so that clients
/// named by <c>X-Forwarded-For</c> are remote clients whose failed keys count (management key
/// <c>mgmt-key-for-tests</c>). Tests that kill or add silos call <see cref="EnsureHealthyAsync"/> first
/// (the test class does so before every test): it restores two running silos and two ready gateways.
/// Every node's logins go to <see cref="OAuth"/>, fake providers in the test process.
/// </summary>
public sealed class TwoByTwoCluster(PostgresServer postgres) : IAsyncLifetime
{
    /// <summary>Silos the cluster is brought back to by <see cref="EnsureHealthyAsync"/>.</summary>
    public const int SiloCount = 2;

    private ClusterHarness? _harness;

    /// <summary>The harness (available after initialisation).</summary>
    public ClusterHarness Harness => _harness ?? throw new InvalidOperationException("not initialised");

    /// <summary>The fake OAuth providers every node's logins use.</summary>
    public FakeOAuthServer OAuth { get; private set; } = null!;

    /// <summary>The first gateway.</summary>
    public GatewayNode A { get; private set; } = null!;

    /// <summary>The second gateway.</summary>
    public GatewayNode B { get; private set; } = null!;

    /// <summary>Both gateways, <see cref="A"/> first.</summary>
    public IReadOnlyList<GatewayNode> Gateways => [A, B];

    /// <summary>The plaintext management key of the imported document.</summary>
    public string ManagementKey => Harness.Options.ManagementKey;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        OAuth = await FakeOAuthServer.StartAsync();
        _harness = await ClusterHarness.CreateAsync(postgres, new ClusterHarnessOptions { NodeEnvironment = OAuth.Settings() });
        try
        {
            var importDirectory = Path.Combine(Harness.Directory, "import");
            Directory.CreateDirectory(importDirectory);
            var config = TestPaths.Fixture("config/full.yaml");
            Assert.Contains("allow-remote: false", config);
            var importPath = Path.Combine(importDirectory, "config.yaml");
            await File.WriteAllTextAsync(importPath, config.Replace("allow-remote: false", "allow-remote: true"));

            // The importing silo first, so that no gateway can see the database before the document is in.
            await Harness.StartSiloAsync(new SiloStartOptions { ImportConfig = importPath });
            var second = Harness.StartSiloAsync();
            var a = Harness.StartGatewayAsync();
            var b = Harness.StartGatewayAsync();
            await Task.WhenAll(second, a, b);
            (A, B) = (await a, await b);
            await WarmUpAsync();
        }
        catch
        {
            await Harness.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// One change through each gateway, awaited on the other (generous deadline): the first change
    /// after start-up pays for JIT compilation and for connections being opened on four freshly
    /// started processes on a small machine, which is not what the tests measure.
    /// </summary>
    private async Task WarmUpAsync()
    {
        foreach (var (writer, reader) in new[] { (A, B), (B, A) })
        {
            var key = "sk-warm-up-" + Guid.NewGuid().ToString("N");
            var written = await writer.AddApiKeyAsync(key);
            if (!written.IsSuccess) throw new InvalidOperationException($"warm-up write via {writer.Name}: {written}\n{Harness.Describe()}");
            await Poll.UntilAsync(async () => (await reader.GetApiKeysAsync()).Contains(key), Harness.Options.StartTimeout,
                () => $"warm-up key visible via {reader.Name}\n{Harness.Describe()}");
        }
    }

    /// <summary>
    /// Brings the cluster back to <see cref="SiloCount"/> running silos (starting replacements for
    /// killed or stopped ones), waits until the membership table agrees, and until both gateways answer
    /// <c>/readyz</c> with 200.
    /// </summary>
    public async Task EnsureHealthyAsync()
    {
        var missing = SiloCount - Harness.RunningSilos.Count;
        await Task.WhenAll(Enumerable.Range(0, Math.Max(0, missing)).Select(_ => Harness.StartSiloAsync()));
        await Harness.WaitForMembershipAsync();
        foreach (var gateway in Gateways)
        {
            if (!gateway.IsRunning) throw new InvalidOperationException($"{gateway.Name} is not running\n{Harness.Describe()}");
            await Poll.UntilAsync(() => gateway.IsReadyAsync(), Harness.Options.StartTimeout, () => $"{gateway.Name} ready again\n{Harness.Describe()}");
        }
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        if (_harness is not null) await _harness.DisposeAsync();
        if (OAuth is not null) await OAuth.DisposeAsync();
    }
}
