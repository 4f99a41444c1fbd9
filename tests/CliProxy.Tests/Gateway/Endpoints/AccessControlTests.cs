using System.Text.RegularExpressions;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// The access-control middleware (spec §3 with correction 7) on full.yaml (secret-key set,
/// allow-remote false). The gateway trusts X-Forwarded-For from 127.0.0.1 so that every test can act
/// as its own client address (wrong keys count towards a ban for loopback clients too).
/// </summary>
[Http]
public sealed class AccessControlTests(TrustingFullConfigGateway fixture) : IClassFixture<TrustingFullConfigGateway>
{
    private TestGateway G => fixture.Gateway;

    private static readonly Regex BanMessage = new(@"^IP banned due to too many failed attempts\. Try again in (30m0s|29m[0-5]?[0-9]s)$");

    internal static void AssertVersionHeaders(Reply r)
    {
        foreach (var h in new[] { "X-CPA-VERSION", "X-CPA-COMMIT", "X-CPA-BUILD-DATE" })
            Assert.False(string.IsNullOrEmpty(r.Header(h)), $"{h} missing on {r}");
    }

    private static void AssertBanned(Reply r)
    {
        Assert.Equal(403, r.Status);
        var message = (string?)r.Json!["error"];
        Assert.Single(r.Json!.AsObject());
        Assert.Matches(BanMessage, message ?? "");
        AssertVersionHeaders(r);
    }

    private Task<Reply> As(string from, (string, string)[] headers, string route = "/debug") => G.Raw("GET", Mgmt.Prefix + route, headers: headers, from: from);

    // ------------------------------------------------------------ presenting the key

    public static TheoryData<string, string> AcceptedKeyHeaders => new()
    {
        { "Authorization", "Bearer " + Mgmt.Key },
        { "Authorization", "bearer " + Mgmt.Key },
        { "Authorization", "BEARER " + Mgmt.Key },
        { "Authorization", Mgmt.Key },
        { "X-Management-Key", Mgmt.Key },
    };

    [Theory]
    [MemberData(nameof(AcceptedKeyHeaders))]
    public async Task Key_is_accepted_from_authorization_or_x_management_key(string header, string value)
    {
        var r = await As(Mgmt.NextLocal(), [(header, value)]);
        Assert.Equal(200, r.Status);
        Assert.Single(r.Json!.AsObject());
        AssertVersionHeaders(r);
    }

    [Theory]
    [InlineData("")]
    [InlineData("Bearer ")]
    [InlineData("Bearer")]
    [InlineData("bearer ")]
    [InlineData("BEARER")]
    public async Task Empty_authorization_or_a_bearer_without_key_falls_back_to_x_management_key(string authorization)
    {
        var r = await As(Mgmt.NextLocal(), [("Authorization", authorization), ("X-Management-Key", Mgmt.Key)]);
        Assert.True(r.Status == 200, r.ToString());
        Mgmt.AssertError(await As(Mgmt.NextLocal(), [("Authorization", authorization)]), 401, "missing management key");
    }

    [Fact]
    public async Task Authorization_wins_over_x_management_key()
    {
        var r = await As(Mgmt.NextLocal(), [("Authorization", "Bearer wrong"), ("X-Management-Key", Mgmt.Key)]);
        Mgmt.AssertError(r, 401, "invalid management key");
    }

    [Fact]
    public async Task Missing_key_answers_401_with_version_headers()
    {
        var r = await As(Mgmt.NextLocal(), []);
        Mgmt.AssertError(r, 401, "missing management key");
        AssertVersionHeaders(r);
    }

    [Fact]
    public async Task Query_parameters_are_never_consulted()
    {
        var from = Mgmt.NextLocal();
        var r = await G.Raw("GET", $"{Mgmt.Prefix}/debug?key={Mgmt.Key}&management_key={Mgmt.Key}", from: from);
        Mgmt.AssertError(r, 401, "missing management key");
    }

    [Fact]
    public async Task Every_route_requires_the_key()
    {
        foreach (var (method, route) in new[] { ("GET", "/config"), ("GET", "/config.yaml"), ("PUT", "/config.yaml"), ("PUT", "/debug"), ("GET", "/api-keys"),
                     ("DELETE", "/gemini-api-key"), ("PATCH", "/oauth-model-alias"), ("GET", "/latest-version"), ("DELETE", "/ampcode/model-mappings") })
        {
            var file = G.FileText();
            var r = await G.Raw(method, Mgmt.Prefix + route, body: method == "GET" ? null : """{"value":true}""", from: Mgmt.NextLocal());
            Mgmt.AssertError(r, 401, "missing management key");
            AssertVersionHeaders(r);
            Assert.Equal(file, G.FileText());
        }
    }

    // ------------------------------------------------------------ remote clients and allow-remote

    [Fact]
    public async Task Remote_client_is_refused_while_allow_remote_is_false_and_that_is_not_counted()
    {
        var from = Mgmt.NextRemote();
        for (var i = 0; i < 7; i++)
        {
            var r = await As(from, [("Authorization", "Bearer " + Mgmt.Key)]);
            Mgmt.AssertError(r, 403, "remote management disabled");
            AssertVersionHeaders(r);
        }
        Mgmt.AssertError(await As(from, [("Authorization", "Bearer wrong")]), 403, "remote management disabled");
        Mgmt.AssertError(await As(from, []), 403, "remote management disabled");
    }

    [Fact]
    public async Task X_real_ip_is_ignored()
    {
        var r = await G.Raw("GET", Mgmt.Prefix + "/debug", headers: [("Authorization", "Bearer " + Mgmt.Key), ("X-Real-IP", "10.9.9.9")]);
        Assert.Equal(200, r.Status);
    }

    // ------------------------------------------------------------ failure counting and ban

    [Fact]
    public async Task Five_wrong_keys_ban_a_loopback_client_even_for_the_right_key()
    {
        var from = Mgmt.NextLocal();
        for (var i = 1; i <= 5; i++)
            Mgmt.AssertError(await As(from, [("Authorization", "Bearer wrong-" + i)]), 401, "invalid management key");
        AssertBanned(await As(from, [("Authorization", "Bearer " + Mgmt.Key)]));
        AssertBanned(await As(from, [("Authorization", "Bearer " + Mgmt.Key)], "/config"));
        AssertBanned(await As(from, []));
        // Others are not affected.
        Assert.Equal(200, (await As(Mgmt.NextLocal(), [("Authorization", "Bearer " + Mgmt.Key)])).Status);
        Assert.Equal(200, (await G.Call("GET", "/debug")).Status);
    }

    [Fact]
    public async Task Requests_without_a_key_are_not_counted_towards_a_ban()
    {
        // Health probes or a panel polling before login, behind one proxy address.
        var from = Mgmt.NextLocal();
        for (var i = 0; i < 12; i++)
            Mgmt.AssertError(await As(from, []), 401, "missing management key");
        Assert.Equal(200, (await As(from, [("Authorization", "Bearer " + Mgmt.Key)])).Status);
        // Wrong keys still count, and keyless requests in between neither count nor reset them.
        for (var i = 0; i < 4; i++) Mgmt.AssertError(await As(from, [("X-Management-Key", "wrong-" + i)]), 401, "invalid management key");
        for (var i = 0; i < 6; i++) Mgmt.AssertError(await As(from, [("Authorization", "Bearer ")]), 401, "missing management key");
        Mgmt.AssertError(await As(from, [("X-Management-Key", "wrong")]), 401, "invalid management key");
        AssertBanned(await As(from, [("X-Management-Key", Mgmt.Key)]));
    }

    [Fact]
    public async Task A_success_resets_the_failure_count()
    {
        var from = Mgmt.NextLocal();
        for (var i = 0; i < 4; i++) Mgmt.AssertError(await As(from, [("Authorization", "Bearer wrong")]), 401, "invalid management key");
        Assert.Equal(200, (await As(from, [("Authorization", "Bearer " + Mgmt.Key)])).Status);
        for (var i = 0; i < 4; i++) Mgmt.AssertError(await As(from, [("Authorization", "Bearer wrong")]), 401, "invalid management key");
        Assert.Equal(200, (await As(from, [("Authorization", "Bearer " + Mgmt.Key)])).Status);
    }

    [Fact]
    public async Task A_banned_client_cannot_change_anything()
    {
        var from = Mgmt.NextLocal();
        for (var i = 0; i < 5; i++) await As(from, [("Authorization", "Bearer wrong")]);
        var file = G.FileText();
        var r = await G.Raw("PUT", Mgmt.Prefix + "/debug", """{"value":true}""", [("Authorization", "Bearer " + Mgmt.Key)], from);
        AssertBanned(r);
        Assert.Equal(file, G.FileText());
    }

    [Fact]
    public async Task Ban_message_counts_down()
    {
        var from = Mgmt.NextLocal();
        for (var i = 0; i < 5; i++) await As(from, [("Authorization", "Bearer wrong")]);
        var first = (string)(await As(from, []))!.Json!["error"]!;
        Assert.Matches(BanMessage, first);
        Reply? later = null;
        await Mgmt.Eventually(async () => (string?)(later = await As(from, [])).Json!["error"] != first, TimeSpan.FromSeconds(3), "the remaining time moves");
        AssertBanned(later!);
    }
}

/// <summary>X-Forwarded-For is ignored unless the peer is a trusted proxy (correction 7), on the default gateway.</summary>
[Http]
public sealed class ForwardedForTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    [Fact]
    public async Task Forwarded_for_from_an_untrusted_peer_is_ignored()
    {
        // The peer is 127.0.0.1 (local); claiming to be remote changes nothing.
        var r = await G.Raw("GET", Mgmt.Prefix + "/debug", headers: [("Authorization", "Bearer " + Mgmt.Key)], from: "10.20.30.40");
        Assert.Equal(200, r.Status);
        r = await G.Raw("GET", Mgmt.Prefix + "/debug", headers: [("Authorization", "Bearer " + Mgmt.Key)], from: "10.20.30.41, 10.1.1.1");
        Assert.Equal(200, r.Status);
    }
}
