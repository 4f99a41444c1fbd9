using CliProxy.Tests.Support.Fakes;

namespace CliProxy.Tests.Gateway.Endpoints.OAuth;

/// <summary><c>POST /iflow-auth-url</c>: the cookie login against the fake iFlow platform (spec §5.9.8) and its refusals.</summary>
[Http]
public sealed class IFlowCookieLoginTests(LoginGateway fixture) : IClassFixture<LoginGateway>
{
    private TestGateway G => fixture.Gateway;

    [Fact]
    public async Task A_cookie_login_writes_the_key_and_only_the_bxauth_pair_and_a_second_one_is_a_duplicate()
    {
        fixture.Fake.AddIFlowCookie("bx-1", "my*key");
        var r = await G.Call("POST", "/iflow-auth-url", """{"cookie":"  foo=1;   BXAuth=bx-1;  other=2 "}""");
        Assert.True(r.Status == 200, r.ToString());
        var body = r.Json!.AsObject();
        Assert.Equal(("ok", "my*key", "2027-01-31 23:59", "iflow"), ((string?)body["status"], (string?)body["email"], (string?)body["expired"], (string?)body["type"]));
        var name = Path.GetFileName((string)body["saved_path"]!);
        Assert.Matches("^iflow-myxkey-[0-9]+\\.json$", name);
        Assert.Equal(G.AuthPath(name), (string?)body["saved_path"]);
        var file = G.DiskJson(name);
        Assert.Equal(("BXAuth=bx-1;", "sk-cookie-my*key", "", ""), ((string?)file["cookie"], (string?)file["api_key"], (string?)file["access_token"], (string?)file["refresh_token"]));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(G.AuthPath(name)));

        var again = await G.Call("POST", "/iflow-auth-url", """{"cookie":"BXAuth=bx-1"}""");
        Assert.Equal(409, again.Status);
        Mgmt.AssertJson($$"""{"status":"error","error":"duplicate BXAuth found","existing_file":"{{name}}"}""", again.Body);
    }

    [Theory]
    [InlineData("", 400, "cookie is required")]
    [InlineData("""{"cookie":"  "}""", 400, "cookie is required")]
    [InlineData("""{"cookie":"a=1; b=2"}""", 400, "cookie missing BXAuth field")]
    [InlineData("""{"cookie":"BXAuth=unknown"}""", 502, "iflow cookie authentication: fetch initial API key info failed: upstream answered 200")]
    public async Task Refusals_write_nothing(string body, int status, string error)
    {
        var before = G.AuthFileNames();
        var r = await G.Call("POST", "/iflow-auth-url", body);
        Assert.Equal(status, r.Status);
        Mgmt.AssertJson($$"""{"status":"error","error":"{{error}}"}""", r.Body);
        Assert.Equal(before, G.AuthFileNames());
    }
}
