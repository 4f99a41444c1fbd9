using System.Text.Json.Nodes;
using System.Web;

namespace CliProxy.Tests.Support.Fakes;

/// <summary>A gateway whose logins go to a <see cref="FakeOAuthServer"/> (embedded mode on fixtures/config/full.yaml).</summary>
public class LoginGateway : IAsyncLifetime
{
    /// <summary>The fake providers.</summary>
    public FakeOAuthServer Fake { get; private set; } = null!;

    /// <summary>The gateway.</summary>
    public TestGateway Gateway { get; private set; } = null!;

    /// <summary>Settings added to the fake's (e.g. shorter timings).</summary>
    protected virtual Dictionary<string, string> MoreSettings => [];

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Fake = await FakeOAuthServer.StartAsync();
        Gateway = await Mgmt.StartGatewayAsync(Mgmt.FullYaml, Fake.Settings(MoreSettings));
    }

    /// <inheritdoc />
    public virtual async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

/// <summary>The steps of a login as the management UI and the browser take them.</summary>
public static class LoginKit
{
    /// <summary>Calls a start route (e.g. <c>/codex-auth-url</c>); asserts <c>{"status":"ok","url","state"}</c> and returns URL and state.</summary>
    public static async Task<(string Url, string State)> StartLogin(this TestGateway g, string route)
    {
        var r = await g.Call("GET", route);
        Assert.True(r.Status == 200, $"GET {route}: {r}");
        var body = r.Json!.AsObject();
        Assert.Equal("ok", (string?)body["status"]);
        var state = (string)body["state"]!;
        Assert.Matches("^[0-9a-f]{32}$", state);
        return ((string)body["url"]!, state);
    }

    /// <summary>The query parameters of a URL.</summary>
    public static Dictionary<string, string> QueryOf(string url)
    {
        var q = HttpUtility.ParseQueryString(new Uri(url).Query);
        return q.AllKeys.Where(k => k is not null).ToDictionary(k => k!, k => q[k]!);
    }

    /// <summary>Sends the provider's redirect to a server-root callback route (no key), as the browser does.</summary>
    public static Task<Reply> BrowserCallback(this TestGateway g, string callbackPath, Uri redirect) =>
        g.Raw("GET", callbackPath + redirect.Query);

    /// <summary><c>POST /oauth-callback</c> with <c>provider</c> and the pasted <c>redirect_url</c>.</summary>
    public static Task<Reply> PostCallback(this TestGateway g, string provider, Uri redirect) =>
        g.Call("POST", "/oauth-callback", new JsonObject { ["provider"] = provider, ["redirect_url"] = redirect.ToString() }.ToJsonString());

    /// <summary><c>GET /get-auth-status?state=</c>; asserts 200 and returns the body.</summary>
    public static async Task<JsonObject> AuthStatus(this TestGateway g, string state)
    {
        var r = await g.Call("GET", "/get-auth-status?state=" + Uri.EscapeDataString(state));
        Assert.True(r.Status == 200, $"get-auth-status: {r}");
        return r.Json!.AsObject();
    }

    /// <summary>Polls <c>get-auth-status</c> until it is no longer <c>wait</c> (10 s at most) and returns that answer.</summary>
    public static async Task<JsonObject> FinalStatus(this TestGateway g, string state)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (true)
        {
            var status = await g.AuthStatus(state);
            if ((string?)status["status"] != "wait" || DateTime.UtcNow > until) return status;
            await Task.Delay(20);
        }
    }

    /// <summary>The names of the files in the gateway's auth folder.</summary>
    public static string[] AuthFileNames(this TestGateway g) =>
        Directory.Exists(g.AuthDir()) ? Directory.GetFiles(g.AuthDir()).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray() : [];
}
