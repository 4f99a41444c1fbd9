using CliProxy.Tests.Support.Fakes;

namespace CliProxy.Tests.Gateway.Endpoints.OAuth;

/// <summary>Logging in again, and accounts that share an e-mail: identity rules of the written files.</summary>
[Http]
public sealed class ReloginTests(LoginGateway fixture) : IClassFixture<LoginGateway>
{
    private TestGateway G => fixture.Gateway;

    private FakeOAuthServer Fake => fixture.Fake;

    private async Task LoginAsync(string route, string callbackPath)
    {
        var (url, state) = await G.StartLogin(route);
        await G.BrowserCallback(callbackPath, Fake.Approve(url));
        Assert.Equal("ok", (string?)(await G.AuthStatus(state))["status"]);
    }

    [Fact]
    public async Task A_second_login_replaces_the_tokens_and_keeps_what_the_operator_set()
    {
        Fake.Account = new FakeAccount(Email: "again@example.com");
        const string name = "claude-again@example.com.json";
        await LoginAsync("/anthropic-auth-url", "/anthropic/callback");
        var first = G.DiskJson(name);
        await G.Ok("PATCH", "/auth-files/fields", """{"name":"claude-again@example.com.json","prefix":"team","proxy_url":"socks5://p:1080","priority":7,"note":"shared"}""");
        Assert.Equal(200, (await G.Call("PATCH", "/auth-files/status", """{"name":"claude-again@example.com.json","disabled":true}""")).Status);
        var edited = G.DiskJson(name);
        edited["excluded_models"] = new System.Text.Json.Nodes.JsonArray("claude-old");
        await File.WriteAllTextAsync(G.AuthPath(name), edited.ToJsonString());
        await Mgmt.Eventually(async () => (await G.Call("GET", "/auth-files/download?name=" + name)).Body.Contains("claude-old"), TimeSpan.FromSeconds(10), "hand edit adopted");

        await LoginAsync("/anthropic-auth-url", "/anthropic/callback");
        var second = G.DiskJson(name);
        Assert.NotEqual((string?)first["access_token"], (string?)second["access_token"]);
        Assert.NotEqual((string?)first["refresh_token"], (string?)second["refresh_token"]);
        Assert.Equal(("team", "socks5://p:1080", 7L, "shared", true), ((string?)second["prefix"], (string?)second["proxy_url"], (long)second["priority"]!, (string?)second["note"], (bool)second["disabled"]!));
        Assert.Equal("claude-old", (string?)second["excluded_models"]![0]);
        Assert.Single(G.AuthFileNames(), n => n.StartsWith("claude-again@", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Two_codex_accounts_with_one_email_and_plan_get_two_files()
    {
        Fake.Account = new FakeAccount(Email: "shared@example.com", AccountId: "acct-one", Plan: "team");
        await LoginAsync("/codex-auth-url", "/codex/callback");
        Fake.Account = new FakeAccount(Email: "shared@example.com", AccountId: "acct-two", Plan: "team");
        await LoginAsync("/codex-auth-url", "/codex/callback");
        var names = G.AuthFileNames().Where(n => n.Contains("shared@example.com", StringComparison.Ordinal)).ToArray();
        Assert.Equal(
            new[] { $"codex-{LoginProvider.Hash8("acct-one")}-shared@example.com-team.json", $"codex-{LoginProvider.Hash8("acct-two")}-shared@example.com-team.json" }.Order(StringComparer.Ordinal),
            names.Order(StringComparer.Ordinal));
        Fake.Account = new FakeAccount();
    }
}
