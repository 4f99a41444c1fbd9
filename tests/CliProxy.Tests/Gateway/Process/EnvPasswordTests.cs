using CliProxy.Tests.Gateway.Endpoints;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Process;

/// <summary>A gateway on full.yaml with <c>MANAGEMENT_PASSWORD="  env-password-1  "</c>, trusting X-Forwarded-For from 127.0.0.1.</summary>
public sealed class EnvPasswordGateway : IAsyncLifetime
{
    /// <summary>The gateway.</summary>
    public TestGateway Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        Gateway = await Mgmt.StartProcessAsync(Mgmt.FullYaml, Mgmt.TrustLoopback(new() { ["MANAGEMENT_PASSWORD"] = "  env-password-1  " }));

    /// <inheritdoc />
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>
/// <c>MANAGEMENT_PASSWORD</c> (spec §3.5, correction 7): accepted from anywhere and implies allow-remote.
/// A process-wide variable, so these gateways are processes.
/// </summary>
[Process]
public sealed class EnvPasswordTests(EnvPasswordGateway fixture) : IClassFixture<EnvPasswordGateway>
{
    private TestGateway g => fixture.Gateway;

    private static Task<Reply> With(TestGateway gw, string key, string? from = null, string method = "GET", string route = "/debug", string? body = null) =>
        AccessModesTests.With(gw, key, from, method, route, body);

    private static void AssertVersionHeaders(Reply r) => AccessModesTests.AssertVersionHeaders(r);

    [Fact]
    public async Task Management_password_alone_makes_the_routes_available()
    {
        await using var g = await Mgmt.StartProcessAsync(AccessModesTests.NoSecretYaml, Mgmt.TrustLoopback(new() { ["MANAGEMENT_PASSWORD"] = "env-only" }));
        Assert.Equal(200, (await AccessModesTests.With(g, "env-only", Mgmt.NextLocal(), route: "/config")).Status);
        Assert.Equal(200, (await AccessModesTests.With(g, "env-only", Mgmt.NextRemote(), route: "/config.yaml")).Status);
        Mgmt.AssertError(await AccessModesTests.With(g, Mgmt.Key, Mgmt.NextLocal()), 401, "invalid management key");
    }

    [Fact]
    public async Task Management_password_works_locally_and_remotely_and_implies_allow_remote()
    {
        var local = await With(g, "env-password-1", Mgmt.NextLocal());
        Assert.Equal(200, local.Status);
        AssertVersionHeaders(local);
        Assert.Equal(200, (await With(g, "env-password-1", Mgmt.NextRemote())).Status);
        // allow-remote is implied, so the config's secret-key works remotely as well.
        Assert.Equal(200, (await With(g, Mgmt.Key, Mgmt.NextRemote())).Status);
        Assert.Equal(200, (await With(g, Mgmt.Key, Mgmt.NextLocal())).Status);
        // The untrimmed value is not the password.
        Mgmt.AssertError(await With(g, "  env-password-1  ", Mgmt.NextRemote()), 401, "invalid management key");
        // Remote writes work.
        Mgmt.AssertOk(await With(g, "env-password-1", Mgmt.NextRemote(), "PUT", "/debug", """{"value":true}"""));
        Mgmt.AssertJson("""{"debug":true}""", (await With(g, Mgmt.Key, Mgmt.NextLocal())).Body);
    }

    [Fact]
    public async Task Management_password_failures_from_remote_are_counted_and_banned()
    {
        var from = Mgmt.NextRemote();
        for (var i = 0; i < 5; i++) Mgmt.AssertError(await With(g, "wrong", from), 401, "invalid management key");
        var r = await With(g, "env-password-1", from);
        Assert.Equal(403, r.Status);
        Assert.StartsWith("IP banned due to too many failed attempts. Try again in ", (string?)r.Json!["error"]);
    }

}
