using System.Text.RegularExpressions;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// Availability (spec §2) and the secrets that come from the process (spec §3.5 with correction 7):
/// no secret at all, <c>MANAGEMENT_PASSWORD</c>, <c>--password</c>, <c>allow-remote</c>, and a secret
/// removed or restored at run time. Each test starts the gateway it needs.
/// </summary>
[Http]
public sealed class AccessModesTests
{
    internal static readonly string NoSecretYaml = Regex.Replace(Mgmt.FullYaml, @"(?m)^  secret-key: .*\n", "");
    private static readonly string AllowRemoteYaml = Mgmt.ReplaceOnce(Mgmt.FullYaml, "allow-remote: false", "allow-remote: true");

    private static readonly (string, string)[] RoutesToProbe =
    [
        ("GET", "/config"), ("GET", "/config.yaml"), ("PUT", "/config.yaml"), ("GET", "/debug"), ("PUT", "/debug"), ("GET", "/api-keys"),
        ("DELETE", "/api-keys"), ("PATCH", "/gemini-api-key"), ("GET", "/oauth-model-alias"), ("GET", "/ampcode"), ("GET", "/latest-version"),
        ("GET", "/no-such-route"),
    ];

    private static void AssertNoVersionHeaders(Reply r)
    {
        foreach (var h in new[] { "X-CPA-VERSION", "X-CPA-COMMIT", "X-CPA-BUILD-DATE" }) Assert.Null(r.Header(h));
    }

    internal static void AssertVersionHeaders(Reply r)
    {
        foreach (var h in new[] { "X-CPA-VERSION", "X-CPA-COMMIT", "X-CPA-BUILD-DATE" }) Assert.False(string.IsNullOrEmpty(r.Header(h)), h + " on " + r);
    }

    internal static Task<Reply> With(TestGateway g, string key, string? from = null, string method = "GET", string route = "/debug", string? body = null) =>
        g.Raw(method, Mgmt.Prefix + route, body, [("Authorization", "Bearer " + key)], from);

    [Fact]
    public async Task Without_any_secret_every_management_route_is_the_router_404()
    {
        await using var g = await Mgmt.StartGatewayAsync(NoSecretYaml, Mgmt.TrustLoopback());
        Assert.DoesNotContain("secret-key", g.FileText());
        var wrong = new List<string>();
        foreach (var (method, route) in RoutesToProbe)
        {
            foreach (var key in new[] { null, Mgmt.Key })
            {
                var r = await g.Raw(method, Mgmt.Prefix + route, method == "GET" ? null : "{}", key is null ? [] : [("Authorization", "Bearer " + key)], Mgmt.NextLocal());
                if (r.Status != 404 || r.Body != "404 page not found" || r.Header("X-CPA-VERSION") is not null)
                    wrong.Add($"{method} {route} (key: {key is not null}) -> {r.Status} '{r.Body}' X-CPA-VERSION={r.Header("X-CPA-VERSION") ?? "-"}");
            }
        }
        Assert.True(wrong.Count == 0, "expected 404 '404 page not found' without X-CPA headers:\n" + string.Join("\n", wrong));
        Assert.Equal(200, (await g.Raw("GET", "/healthz")).Status);
        Assert.Equal(204, (await g.Raw("OPTIONS", Mgmt.Prefix + "/config")).Status);
    }

    [Fact]
    public async Task Keep_alive_takes_the_local_password_from_Authorization_or_X_Local_Password()
    {
        await using var g = await Mgmt.StartGatewayAsync(NoSecretYaml, Mgmt.TrustLoopback(), "--password", "local-pw-5");
        Mgmt.AssertError(await g.Raw("GET", "/keep-alive"), 401, "invalid password");
        Mgmt.AssertError(await g.Raw("GET", "/keep-alive", headers: [("Authorization", "Bearer wrong")]), 401, "invalid password");
        Mgmt.AssertError(await g.Raw("GET", "/keep-alive", headers: [("Authorization", "Bearer wrong"), ("X-Local-Password", "local-pw-5")]), 401, "invalid password");
        foreach (var header in new[] { ("Authorization", "Bearer local-pw-5"), ("Authorization", "local-pw-5"), ("X-Local-Password", " local-pw-5 ") })
        {
            var r = await g.Raw("GET", "/keep-alive", headers: [header]);
            Assert.Equal(200, r.Status);
            Mgmt.AssertJson("""{"status":"ok"}""", r.Body);
        }
    }

    [Fact]
    public async Task Local_password_is_refused_for_remote_clients_even_with_allow_remote()
    {
        var yaml = Regex.Replace(AllowRemoteYaml, @"(?m)^  secret-key: .*\n", "");
        await using var g = await Mgmt.StartGatewayAsync(yaml, Mgmt.TrustLoopback(), "--password", "local-pw-3");
        Assert.Equal(200, (await With(g, "local-pw-3", Mgmt.NextLocal())).Status);
        Mgmt.AssertError(await With(g, "local-pw-3", Mgmt.NextRemote()), 403, "remote management key not set");
    }

    [Fact]
    public async Task Allow_remote_lets_remote_clients_in_with_the_key_and_bans_them_after_five_failures_while_the_local_password_stays_local()
    {
        await using var g = await Mgmt.StartGatewayAsync(AllowRemoteYaml, Mgmt.TrustLoopback(), "--password", "local-pw-4");
        // A local password next to a secret-key: both work locally; the local password is not accepted from remote.
        Assert.Equal(200, (await With(g, "local-pw-4", Mgmt.NextLocal())).Status);
        Assert.Equal(200, (await With(g, Mgmt.Key, Mgmt.NextLocal())).Status);
        Mgmt.AssertError(await With(g, "local-pw-4", Mgmt.NextRemote()), 401, "invalid management key");
        var ok = await With(g, Mgmt.Key, Mgmt.NextRemote());
        Assert.Equal(200, ok.Status);
        var from = Mgmt.NextRemote();
        // Requests without a key are not guesses: they do not count.
        for (var i = 0; i < 10; i++) Mgmt.AssertError(await g.Raw("GET", Mgmt.Prefix + "/debug", from: from), 401, "missing management key");
        Assert.Equal(200, (await With(g, Mgmt.Key, from)).Status);
        for (var i = 0; i < 5; i++) Mgmt.AssertError(await With(g, "wrong", from), 401, "invalid management key");
        var banned = await With(g, Mgmt.Key, from);
        Assert.Equal(403, banned.Status);
        Assert.Matches(@"^IP banned due to too many failed attempts\. Try again in (30m0s|29m[0-5]?[0-9]s)$", (string?)banned.Json!["error"]);
        Assert.Equal(200, (await With(g, Mgmt.Key, Mgmt.NextRemote())).Status);
    }

    [Fact]
    public async Task Allow_remote_is_read_per_request_after_a_hand_edit()
    {
        await using var g = await Mgmt.StartGatewayAsync(Mgmt.FullYaml, Mgmt.TrustLoopback());
        Mgmt.AssertError(await With(g, Mgmt.Key, Mgmt.NextRemote()), 403, "remote management disabled");
        g.WriteFile(Mgmt.ReplaceOnce(g.FileText(), "allow-remote: false", "allow-remote: true"));
        await Mgmt.Eventually(async () => (await With(g, Mgmt.Key, Mgmt.NextRemote())).Status == 200, TimeSpan.FromSeconds(10), "remote access after enabling allow-remote");
    }

    [Fact]
    public async Task Removing_the_secret_with_put_config_yaml_disables_the_routes_until_a_hand_edit_restores_it()
    {
        await using var g = await Mgmt.StartGatewayAsync(Mgmt.FullYaml);
        var withSecret = g.FileText();
        var r = await g.Call("PUT", "/config.yaml", Regex.Replace(withSecret, @"(?m)^  secret-key: .*\n", ""));
        Assert.Equal(200, r.Status);
        var off = await g.Call("GET", "/debug");
        Assert.Equal(404, off.Status);
        AssertNoVersionHeaders(off);
        Assert.Equal(404, (await g.Call("GET", "/config.yaml")).Status);
        g.WriteFile(withSecret);
        await Mgmt.Eventually(async () => (await g.Call("GET", "/debug")).Status == 200, TimeSpan.FromSeconds(10), "routes available again");
        Assert.Equal("", off.Body);
    }

    [Fact]
    public async Task Removing_the_secret_by_hand_disables_the_routes_and_restoring_it_enables_them()
    {
        await using var g = await Mgmt.StartGatewayAsync(Mgmt.FullYaml);
        var withSecret = g.FileText();
        g.WriteFile(Regex.Replace(withSecret, @"(?m)^  secret-key: .*\n", ""));
        Reply? last = null;
        await Mgmt.Eventually(async () => (last = await g.Call("GET", "/debug")).Status == 404, TimeSpan.FromSeconds(10), "routes disabled");
        AssertNoVersionHeaders(last!);
        g.WriteFile(Mgmt.ReplaceOnce(withSecret, "debug: false", "debug: true"));
        await g.UntilField("/debug", "debug", "true");
        Assert.Equal("", last!.Body);
    }

    [Fact]
    public async Task Rotating_the_secret_by_hand_hashes_it_and_the_new_key_works()
    {
        await using var g = await Mgmt.StartGatewayAsync(Mgmt.FullYaml, Mgmt.TrustLoopback());
        g.WriteFile(Regex.Replace(g.FileText(), @"(?m)^  secret-key: .*$", "  secret-key: \"rotated-key-1\""));
        await Mgmt.Eventually(async () => (await With(g, "rotated-key-1", Mgmt.NextLocal())).Status == 200, TimeSpan.FromSeconds(10), "new key accepted");
        Mgmt.AssertError(await With(g, Mgmt.Key, Mgmt.NextLocal()), 401, "invalid management key");
        await Mgmt.Eventually(() => Task.FromResult(!g.FileText().Contains("rotated-key-1")), TimeSpan.FromSeconds(10), "plaintext replaced by its hash");
        Assert.Matches(@"(?m)^  secret-key: ""\$2[aby]\$10\$", g.FileText());
    }
}

/// <summary>A gateway without secret-key, started with <c>--password local-pw-1</c>, trusting X-Forwarded-For from 127.0.0.1.</summary>
public sealed class LocalPasswordGateway : IAsyncLifetime
{
    /// <summary>The gateway.</summary>
    public TestGateway Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() =>
        Gateway = await Mgmt.StartGatewayAsync(AccessModesTests.NoSecretYaml, Mgmt.TrustLoopback(), "--password", "local-pw-1");

    /// <inheritdoc />
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>A local password alone (correction 7): works for loopback clients, on its own, across reloads.</summary>
[Http]
public sealed class LocalPasswordTests(LocalPasswordGateway fixture) : IClassFixture<LocalPasswordGateway>
{
    private TestGateway g => fixture.Gateway;

    private static Task<Reply> With(TestGateway gw, string key, string? from = null, string method = "GET", string route = "/debug", string? body = null) =>
        AccessModesTests.With(gw, key, from, method, route, body);

    private static void AssertVersionHeaders(Reply r) => AccessModesTests.AssertVersionHeaders(r);

    [Fact]
    public async Task Local_password_alone_works_for_loopback_clients()
    {
        var r = await With(g, "local-pw-1");
        Assert.Equal(200, r.Status);
        AssertVersionHeaders(r);
        Mgmt.AssertOk(await With(g, "local-pw-1", Mgmt.NextLocal(), "PUT", "/request-retry", """{"value":4}"""));
        Mgmt.AssertJson("""{"request-retry":4}""", (await With(g, "local-pw-1", Mgmt.NextLocal(), route: "/request-retry")).Body);
        Mgmt.AssertError(await With(g, "not-the-password", Mgmt.NextLocal()), 401, "invalid management key");
        Mgmt.AssertError(await g.Raw("GET", Mgmt.Prefix + "/debug", from: Mgmt.NextLocal()), 401, "missing management key");
        // Remote clients cannot use it.
        Mgmt.AssertError(await With(g, "local-pw-1", Mgmt.NextRemote()), 403, "remote management disabled");
    }

    [Fact]
    public async Task Local_password_alone_stays_available_across_reloads()
    {
        Assert.Equal(200, (await With(g, "local-pw-1")).Status);
        g.WriteFile(Regex.Replace(g.FileText(), @"(?m)^request-retry: .*$", "request-retry: 9"));
        await g.UntilField("/request-retry", "request-retry", "9", key: "local-pw-1");
        Assert.Equal(200, (await With(g, "local-pw-1", route: "/config")).Status);
    }

}
