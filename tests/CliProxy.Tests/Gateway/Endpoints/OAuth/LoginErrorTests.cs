using System.Text.Json.Nodes;
using CliProxy.Tests.Support.Fakes;

namespace CliProxy.Tests.Gateway.Endpoints.OAuth;

/// <summary>
/// Logins that must not succeed: each gives the status the contract names, the status API never says
/// ok for it, and nothing is written to the auth folder.
/// </summary>
[Http]
public sealed class LoginErrorTests(LoginGateway fixture) : IClassFixture<LoginGateway>
{
    private TestGateway G => fixture.Gateway;

    private FakeOAuthServer Fake => fixture.Fake;

    private static readonly string UnknownState = new('a', 32);

    [Fact]
    public async Task A_provider_error_fails_the_login_shows_it_on_the_page_and_writes_nothing()
    {
        var before = G.AuthFileNames();
        var (_, state) = await G.StartLogin("/anthropic-auth-url");
        var page = await G.Raw("GET", $"/anthropic/callback?state={state}&error=access_denied&error_description=denied");
        Assert.Equal(200, page.Status);
        Assert.Contains("Authentication failed", page.Body);
        Assert.Contains("Bad request", page.Body);
        Assert.DoesNotContain("Authentication successful", page.Body);
        Mgmt.AssertJson("""{"status":"error","error":"Bad request"}""", (await G.AuthStatus(state)).ToJsonString());
        Assert.Equal(before, G.AuthFileNames());
    }

    [Fact]
    public async Task A_failing_token_endpoint_is_reported_and_writes_nothing()
    {
        var before = G.AuthFileNames();
        var (url, state) = await G.StartLogin("/codex-auth-url");
        Fake.TokenFailure = 500;
        try
        {
            Mgmt.AssertOk(await G.PostCallback("codex", Fake.Approve(url)));
            var status = await G.FinalStatus(state);
            Assert.Equal("error", (string?)status["status"]);
            Assert.Equal("Failed to exchange authorization code for tokens: upstream answered 500", (string?)status["error"]);
        }
        finally
        {
            Fake.TokenFailure = null;
        }
        Assert.Equal(before, G.AuthFileNames());
    }

    [Fact]
    public async Task A_login_without_the_identity_the_file_name_needs_fails_and_writes_nothing()
    {
        var before = G.AuthFileNames();
        Fake.Account = new FakeAccount(Email: "");
        foreach (var route in new[] { "/anthropic-auth-url", "/codex-auth-url", "/antigravity-auth-url" })
        {
            var (url, state) = await G.StartLogin(route);
            var page = await G.BrowserCallback(route.Replace("-auth-url", "/callback"), Fake.Approve(url));
            Assert.Contains("Authentication failed", page.Body);
            Assert.Equal("error", (string?)(await G.AuthStatus(state))["status"]);
        }
        Assert.Equal(before, G.AuthFileNames());
        Fake.Account = new FakeAccount();
    }

    [Fact]
    public async Task Unknown_states_are_errors_everywhere_never_success()
    {
        Mgmt.AssertJson("""{"status":"error","error":"unknown or expired state"}""", (await G.AuthStatus(UnknownState)).ToJsonString());
        var post = await G.Call("POST", "/oauth-callback", new JsonObject { ["provider"] = "codex", ["code"] = "c", ["state"] = UnknownState }.ToJsonString());
        Assert.Equal(404, post.Status);
        Mgmt.AssertJson("""{"status":"error","error":"unknown or expired state"}""", post.Body);
        var page = await G.Raw("GET", $"/codex/callback?state={UnknownState}&code=c");
        Assert.Equal(404, page.Status);
        Assert.Contains("unknown or expired state", page.Body);
        Assert.DoesNotContain("Authentication successful", page.Body);
    }

    [Theory]
    [InlineData("""{"provider":"codex","code":"c","state":"a/b"}""", 400, "invalid state")]
    [InlineData("""{"provider":"codex","code":"c","state":"x..y"}""", 400, "invalid state")]
    [InlineData("""{"provider":"codex","code":"c"}""", 400, "state is required")]
    [InlineData("""{"provider":"codex","state":"abc"}""", 400, "code or error is required")]
    [InlineData("""{"provider":"kimi","code":"c","state":"abc"}""", 400, "unsupported provider")]
    [InlineData("""{"provider":"codex","redirect_url":"http://x/cb?code=c&state=a\u0001b"}""", 400, "invalid redirect_url")]
    [InlineData("""{"provider":1}""", 400, "invalid body")]
    [InlineData("""[1]""", 400, "invalid body")]
    public async Task Bad_callback_bodies_are_refused(string body, int status, string error)
    {
        var r = await G.Call("POST", "/oauth-callback", body);
        Assert.Equal(status, r.Status);
        Mgmt.AssertJson(new JsonObject { ["status"] = "error", ["error"] = error }.ToJsonString(), r.Body);
    }

    [Fact]
    public async Task Bad_states_in_status_and_cancel_are_refused()
    {
        Assert.Equal(400, (await G.Call("GET", "/get-auth-status?state=bad/state")).Status);
        Assert.Equal(400, (await G.Call("GET", "/get-auth-status")).Status);
        Mgmt.AssertJson("""{"status":"error","error":"missing state"}""", (await G.Call("DELETE", "/oauth-session")).Body);
        Mgmt.AssertJson("""{"status":"error","error":"invalid state"}""", (await G.Call("DELETE", "/oauth-session?state=bad/state")).Body);
        Assert.Equal(400, (await G.Raw("GET", "/google/callback?state=bad/state&code=c")).Status);
    }

    [Fact]
    public async Task A_cancelled_login_is_gone_refuses_its_callback_and_writes_nothing()
    {
        var before = G.AuthFileNames();
        var (url, state) = await G.StartLogin("/antigravity-auth-url");
        Mgmt.AssertJson("""{"status":"ok","cancelled":true}""", (await G.Call("DELETE", "/oauth-session?state=" + state)).Body);
        Mgmt.AssertJson("""{"status":"ok","cancelled":false}""", (await G.Call("DELETE", "/oauth-session?state=" + state)).Body);
        Mgmt.AssertJson("""{"status":"error","error":"unknown or expired state"}""", (await G.AuthStatus(state)).ToJsonString());
        Assert.Equal(404, (await G.PostCallback("antigravity", Fake.Approve(url))).Status);
        Assert.Equal(before, G.AuthFileNames());
    }

    [Fact]
    public async Task A_callback_for_another_provider_or_a_second_callback_is_refused()
    {
        Fake.Account = new FakeAccount(Email: "twice@example.com");
        var (url, state) = await G.StartLogin("/anthropic-auth-url");
        var redirect = Fake.Approve(url);
        var mismatch = await G.PostCallback("codex", redirect);
        Assert.Equal(400, mismatch.Status);
        Mgmt.AssertJson("""{"status":"error","error":"provider does not match state"}""", mismatch.Body);
        Mgmt.AssertOk(await G.PostCallback("claude", redirect));
        Assert.Equal("ok", (string?)(await G.FinalStatus(state))["status"]);
        var again = await G.PostCallback("claude", redirect);
        Assert.Equal(409, again.Status);
        Mgmt.AssertJson("""{"status":"error","error":"oauth flow is already completed"}""", again.Body);
        Mgmt.AssertJson("""{"status":"ok","cancelled":false}""", (await G.Call("DELETE", "/oauth-session?state=" + state)).Body);
    }

    [Fact]
    public async Task Completing_one_login_leaves_a_concurrent_login_of_the_same_provider_pending()
    {
        Fake.Account = new FakeAccount(Email: "first@example.com");
        var (first, firstState) = await G.StartLogin("/codex-auth-url");
        var (second, secondState) = await G.StartLogin("/codex-auth-url");
        await G.BrowserCallback("/codex/callback", Fake.Approve(first));
        Assert.Equal("ok", (string?)(await G.AuthStatus(firstState))["status"]);
        Assert.Equal("wait", (string?)(await G.AuthStatus(secondState))["status"]);
        Fake.Account = new FakeAccount(Email: "second@example.com");
        await G.BrowserCallback("/codex/callback", Fake.Approve(second));
        Assert.Equal("ok", (string?)(await G.AuthStatus(secondState))["status"]);
        Fake.Account = new FakeAccount();
    }
}
