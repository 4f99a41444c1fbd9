using System.Text.Json.Nodes;
using CliProxy.Tests.Support.Fakes;

namespace CliProxy.Tests.Gateway.Endpoints.OAuth;

/// <summary>A gateway whose device-code polls come every second.</summary>
public sealed class FastPollLoginGateway : LoginGateway
{
    /// <inheritdoc />
    protected override Dictionary<string, string> MoreSettings => new() { ["CLIPROXY_OAuth__PollIntervalSeconds"] = "1" };
}

/// <summary>
/// Qwen and Kimi device-code logins end to end against the fake: start (device request, the newer
/// answer fields), polling until the user approves, the file written (name by account, fields), a
/// denial, a failed device request, a cancel that stops the polls, and a re-login that replaces the same file.
/// </summary>
[Http]
public sealed class DeviceLoginTests(FastPollLoginGateway fixture) : IClassFixture<FastPollLoginGateway>
{
    private TestGateway G => fixture.Gateway;

    private FakeOAuthServer Fake => fixture.Fake;

    private async Task<(string Url, string State, JsonObject Body)> StartDevice(string route)
    {
        var r = await G.Call("GET", route);
        Assert.True(r.Status == 200, $"GET {route}: {r}");
        var body = r.Json!.AsObject();
        Assert.Equal(("ok", "device"), ((string?)body["status"], (string?)body["flow"]));
        var state = (string)body["state"]!;
        Assert.Matches("^[0-9a-f]{32}$", state);
        return ((string)body["url"]!, state, body);
    }

    [Fact]
    public async Task A_qwen_login_polls_until_approved_and_writes_the_accounts_file()
    {
        Fake.Account = new FakeAccount(DeviceUserId: "qwen-user-7");
        var (url, state, body) = await StartDevice("/qwen-auth-url");
        Assert.StartsWith(Fake.BaseUrl + "/qwen/verify?user_code=", url);
        Assert.Equal(LoginKit.QueryOf(url)["user_code"], (string?)body["user_code"]);
        Assert.Equal(60, (long)body["expires_in"]!); // 60 polls of the 1-second interval
        var device = Fake.Requests.Last(r => r.PathAndQuery == "/qwen/device");
        Assert.Equal(("openid profile email model.completion", "S256"), (device.Fields["scope"], device.Fields["code_challenge_method"]));
        Assert.Equal("wait", (string?)(await G.AuthStatus(state))["status"]);

        Fake.ApproveDevice(url);
        Assert.Equal("ok", (string?)(await G.FinalStatus(state))["status"]);
        var file = G.DiskJson("qwen-qwen-user-7.json");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(G.AuthPath("qwen-qwen-user-7.json")));
        Assert.Equal(("qwen", "qwen-user-7", "portal.qwen.ai"), ((string?)file["type"], (string?)file["email"], (string?)file["resource_url"]));
        Assert.StartsWith("rt-qwen-", (string?)file["refresh_token"]);
        Assert.Equal(["access_token", "email", "expired", "last_refresh", "refresh_token", "resource_url", "type"], file.Select(p => p.Key));
        // The fake checked the PKCE verifier of every poll against the device request's challenge.
        Assert.Contains(Fake.Requests, r => r.PathAndQuery == "/qwen/token" && r.Fields.ContainsKey("code_verifier")
            && r.Fields["grant_type"] == "urn:ietf:params:oauth:grant-type:device_code");
    }

    [Fact]
    public async Task A_kimi_login_sends_the_device_headers_and_writes_an_indented_file()
    {
        Fake.Account = new FakeAccount(DeviceUserId: "kimi-user-3");
        var (url, state, _) = await StartDevice("/kimi-auth-url");
        Fake.ApproveDevice(url);
        Assert.Equal("ok", (string?)(await G.FinalStatus(state))["status"]);
        var text = File.ReadAllText(G.AuthPath("kimi-kimi-user-3.json"));
        Assert.StartsWith("{\n  \"access_token\"", text);
        var file = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(("kimi", "kimi-code", "Bearer"), ((string?)file["type"], (string?)file["scope"], (string?)file["token_type"]));
        var poll = Fake.Requests.Last(r => r.PathAndQuery == "/kimi/token");
        Assert.Equal((string?)file["device_id"], poll.Headers!["X-Msh-Device-Id"]);
        Assert.Equal("cli-proxy-api", poll.Headers["X-Msh-Platform"]);
        Assert.True((long)file["timestamp"]! > 0);
    }

    [Fact]
    public async Task Logging_in_again_to_the_same_device_account_replaces_its_file_instead_of_adding_one()
    {
        Fake.Account = new FakeAccount(DeviceUserId: "kimi-again");
        var (url, state, _) = await StartDevice("/kimi-auth-url");
        Fake.ApproveDevice(url);
        Assert.Equal("ok", (string?)(await G.FinalStatus(state))["status"]);
        var first = (string?)G.DiskJson("kimi-kimi-again.json")["access_token"];
        await G.Ok("PATCH", "/auth-files/fields", """{"name":"kimi-kimi-again.json","prefix":"mine"}""");

        (url, state, _) = await StartDevice("/kimi-auth-url");
        Fake.ApproveDevice(url);
        Assert.Equal("ok", (string?)(await G.FinalStatus(state))["status"]);
        var second = G.DiskJson("kimi-kimi-again.json");
        Assert.NotEqual(first, (string?)second["access_token"]);
        Assert.Equal("mine", (string?)second["prefix"]);
        Assert.Single(G.AuthFileNames(), n => n.Contains("kimi-again", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/qwen-auth-url")]
    [InlineData("/kimi-auth-url")]
    public async Task A_denied_device_login_records_the_error_and_writes_nothing(string route)
    {
        Fake.Account = new FakeAccount(DeviceUserId: "denied-" + route.Trim('/'));
        var before = G.AuthFileNames();
        var (url, state, _) = await StartDevice(route);
        Fake.DenyDevice(url);
        Mgmt.AssertJson("""{"status":"error","error":"Authentication failed: access denied"}""", (await G.FinalStatus(state)).ToJsonString());
        Assert.Equal(before, G.AuthFileNames());
    }

    [Fact]
    public async Task A_failed_device_request_answers_500_and_registers_nothing()
    {
        Fake.DeviceFailure = 503;
        try
        {
            var r = await G.Call("GET", "/qwen-auth-url");
            Assert.Equal(500, r.Status);
            Mgmt.AssertJson("""{"error":"failed to generate authorization url"}""", r.Body);
        }
        finally
        {
            Fake.DeviceFailure = null;
        }
    }

    [Fact]
    public async Task Cancelling_a_device_login_stops_its_polls()
    {
        var (url, state, _) = await StartDevice("/kimi-auth-url");
        await Mgmt.Eventually(() => Task.FromResult(Fake.DevicePolls(url) > 0), TimeSpan.FromSeconds(10), "first poll");
        Mgmt.AssertJson("""{"status":"ok","cancelled":true}""", (await G.Call("DELETE", "/oauth-session?state=" + state)).Body);
        var polls = Fake.DevicePolls(url);
        await Task.Delay(TimeSpan.FromSeconds(2.5)); // two poll intervals: a live poller would have polled again
        Assert.InRange(Fake.DevicePolls(url), polls, polls + 1);
        Mgmt.AssertJson("""{"status":"error","error":"unknown or expired state"}""", (await G.AuthStatus(state)).ToJsonString());
    }
}
