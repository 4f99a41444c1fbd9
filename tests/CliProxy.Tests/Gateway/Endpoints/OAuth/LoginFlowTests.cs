using System.Text.Json.Nodes;
using CliProxy.Tests.Support.Fakes;

namespace CliProxy.Tests.Gateway.Endpoints.OAuth;

/// <summary>
/// Every redirect login end to end against the fake providers: start → the authorize URL's
/// parameters → the provider's redirect through the server-root callback or <c>POST /oauth-callback</c>
/// → <c>get-auth-status</c> ok → the credential file (name, fields, mode 0600) and the list.
/// </summary>
[Http]
public sealed class LoginFlowTests(LoginGateway fixture) : IClassFixture<LoginGateway>
{
    private TestGateway G => fixture.Gateway;

    private FakeOAuthServer Fake => fixture.Fake;

    [Theory]
    [MemberData(nameof(LoginProvider.Keys), MemberType = typeof(LoginProvider))]
    public async Task A_login_completes_through_the_root_callback(string key)
    {
        var p = LoginProvider.All[key];
        var email = $"root-{key}@example.com";
        Fake.Account = new FakeAccount(Email: email);
        var (url, state) = await G.StartLogin(p.StartRoute);
        AssertAuthorizeUrl(p, url, state);

        var page = await G.BrowserCallback(p.CallbackPath, Fake.Approve(url));
        Assert.True(page.Status == 200, page.ToString());
        Assert.StartsWith("text/html", page.Header("Content-Type"));
        Assert.Contains("Authentication successful", page.Body);
        Assert.Equal("ok", (string?)(await G.AuthStatus(state))["status"]);
        AssertCredential(p, email);
    }

    [Theory]
    [MemberData(nameof(LoginProvider.Keys), MemberType = typeof(LoginProvider))]
    public async Task A_login_completes_through_a_pasted_redirect(string key)
    {
        var p = LoginProvider.All[key];
        var email = $"post-{key}@example.com";
        Fake.Account = new FakeAccount(Email: email);
        var (url, state) = await G.StartLogin(p.StartRoute);

        Mgmt.AssertOk(await G.PostCallback(p.Alias, Fake.Approve(url)));
        Assert.Equal("ok", (string?)(await G.FinalStatus(state))["status"]);
        AssertCredential(p, email);
        Assert.Contains(p.FileName(email), await G.ListNames());
    }

    [Fact]
    public async Task The_callback_body_may_give_code_and_state_directly_and_omit_the_provider()
    {
        Fake.Account = new FakeAccount(Email: "direct@example.com");
        var (url, state) = await G.StartLogin("/anthropic-auth-url");
        var code = LoginKit.QueryOf(Fake.Approve(url).ToString())["code"];
        // Claude's manual page shows "code#state": the part after '#' is ignored.
        Mgmt.AssertOk(await G.Call("POST", "/oauth-callback", new JsonObject { ["code"] = code + "#" + state, ["state"] = state }.ToJsonString()));
        Assert.Equal("ok", (string?)(await G.FinalStatus(state))["status"]);
        AssertCredential(LoginProvider.All["anthropic"], "direct@example.com");
    }

    [Fact]
    public async Task Codex_sends_the_pkce_verifier_of_its_challenge_and_the_form_the_reference_sends()
    {
        Fake.Account = new FakeAccount(Email: "form@example.com");
        var (url, state) = await G.StartLogin("/codex-auth-url");
        await G.BrowserCallback("/codex/callback", Fake.Approve(url));
        Assert.Equal("ok", (string?)(await G.AuthStatus(state))["status"]);
        var exchange = Fake.Requests.Last(r => r.PathAndQuery == "/codex/token");
        Assert.Equal(["client_id", "code", "code_verifier", "grant_type", "redirect_uri"], exchange.Fields.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(128, exchange.Fields["code_verifier"].Length);
        Assert.Equal(CliProxy.Domain.OAuth.Pkce.ChallengeOf(exchange.Fields["code_verifier"]), LoginKit.QueryOf(url)["code_challenge"]);
    }

    [Fact]
    public async Task Gemini_with_a_project_id_onboards_that_project_and_is_not_auto()
    {
        Fake.Account = new FakeAccount(Email: "proj@example.com");
        var (url, state) = await G.StartLogin("/gemini-cli-auth-url?project_id=my-project");
        await G.BrowserCallback("/google/callback", Fake.Approve(url));
        Assert.Equal("ok", (string?)(await G.AuthStatus(state))["status"]);
        var file = G.DiskJson("gemini-proj@example.com-my-project.json");
        Assert.Equal(("my-project", false, true), ((string?)file["project_id"], (bool)file["auto"]!, (bool)file["checked"]!));
        Assert.Contains(Fake.Requests, r => r.PathAndQuery == "/cloudcode/v1internal:onboardUser" && r.Fields.GetValueOrDefault("cloudaicompanionProject") == "my-project");
    }

    private static void AssertAuthorizeUrl(LoginProvider p, string url, string state)
    {
        var query = LoginKit.QueryOf(url);
        Assert.Equal(state, query["state"]);
        Assert.Equal(CliProxy.Domain.OAuth.OAuthDefaults.For(p.Key).ClientId, query["client_id"]);
        Assert.Equal(p.RedirectUri, query.GetValueOrDefault("redirect_uri") ?? query["redirect"]);
        Assert.Equal(p.UsesPkce, query.ContainsKey("code_challenge"));
        if (p.UsesPkce) Assert.Equal("S256", query["code_challenge_method"]);
        // Lexical parameter order, as the reference encodes them.
        var names = new Uri(url).Query.TrimStart('?').Split('&').Select(kv => kv.Split('=')[0]).ToArray();
        Assert.Equal(names.Order(StringComparer.Ordinal), names);
    }

    private void AssertCredential(LoginProvider p, string email)
    {
        var name = p.FileName(email);
        Assert.True(File.Exists(G.AuthPath(name)), $"{name} missing; folder: {string.Join(", ", G.AuthFileNames())}");
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(G.AuthPath(name)));
        var file = G.DiskJson(name);
        Assert.Equal(p.Type, (string?)file["type"]);
        Assert.Equal(email, (string?)file["email"]);
        Assert.StartsWith($"at-{p.Key}-", p.AccessToken(file));
        switch (p.Key)
        {
            case "codex":
                Assert.Equal(LoginProvider.CodexAccountId, (string?)file["account_id"]);
                Assert.Equal(3, ((string)file["id_token"]!).Split('.').Length);
                break;
            case "gemini":
                Assert.Equal(("proj-1", true), ((string?)file["project_id"], (bool)file["auto"]!));
                Assert.Equal("https://oauth2.googleapis.com/token", (string?)file["token"]!["token_uri"]);
                break;
            case "antigravity":
                Assert.Equal("companion-project", (string?)file["project_id"]);
                Assert.False((bool)file["disabled"]!);
                Assert.False(File.ReadAllText(G.AuthPath(name)).EndsWith('\n'));
                break;
            case "iflow":
                Assert.Equal("sk-fake-iflow-key", (string?)file["api_key"]);
                break;
        }
    }
}
