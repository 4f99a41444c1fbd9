using CliProxy.Tests.Support;

namespace CliProxy.Tests.Http;

/// <summary>One gateway process on a copy of fixtures/config/full.yaml, shared by the tests of a class.</summary>
public sealed class FullConfigGateway : IAsyncLifetime
{
    /// <summary>The plaintext management key of full.yaml.</summary>
    public const string Key = "mgmt-key-for-tests";

    /// <summary>The running gateway.</summary>
    public GatewayProcess Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Gateway = await GatewayProcess.StartAsync(TestPaths.Fixture("config/full.yaml"));

    /// <inheritdoc />
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}
