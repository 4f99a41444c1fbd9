using System.Net;
using System.Net.Sockets;
using CliProxy.Gateway.Logins;
using CliProxy.Tests.Gateway.Endpoints.OAuth;
using CliProxy.Tests.Support.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Logins;

/// <summary>
/// A login gateway whose Codex and Claude redirect URIs point at free ports (their forwarders' ports),
/// and whose iFlow port is held by another listener for the fixture's life.
/// </summary>
public sealed class ForwarderLoginGateway : LoginGateway
{
    /// <summary>Codex's callback port.</summary>
    public int CodexPort { get; } = FreePort.Next();

    /// <summary>Claude's callback port.</summary>
    public int AnthropicPort { get; } = FreePort.Next();

    /// <summary>iFlow's callback port, taken by <see cref="Squatter"/>.</summary>
    public TcpListener Squatter { get; } = Squat();

    /// <summary>The port <see cref="Squatter"/> holds.</summary>
    public int TakenPort => ((IPEndPoint)Squatter.LocalEndpoint).Port;

    /// <inheritdoc />
    protected override Dictionary<string, string> MoreSettings => new()
    {
        ["CLIPROXY_OAuth__Providers__codex__RedirectUri"] = $"http://localhost:{CodexPort}/auth/callback",
        ["CLIPROXY_OAuth__Providers__anthropic__RedirectUri"] = $"http://localhost:{AnthropicPort}/callback",
        ["CLIPROXY_OAuth__Providers__iflow__RedirectUri"] = $"http://localhost:{TakenPort}/oauth2callback",
    };

    /// <inheritdoc />
    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        Squatter.Stop();
        Squatter.Dispose();
    }

    private static TcpListener Squat()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return listener;
    }
}

/// <summary>
/// The <c>is_webui</c> callback forwarder (spec §5.7) through the gateway: the provider's redirect to the
/// local callback port reaches the login, concurrent logins share one forwarder (no takeover, defect 8),
/// and a taken port does not stop a login from starting (defect 5).
/// </summary>
[Http]
public sealed class ForwarderLoginTests(ForwarderLoginGateway fixture) : IClassFixture<ForwarderLoginGateway>
{
    private TestGateway G => fixture.Gateway;

    private FakeOAuthServer Fake => fixture.Fake;

    [Fact]
    public async Task The_forwarder_carries_the_providers_redirect_to_a_completed_login()
    {
        Fake.Account = new FakeAccount(Email: "fwd@example.com");
        var (url, state) = await StartWebUi("/codex-auth-url?is_webui=true");
        var redirect = Fake.Approve(url);
        Assert.Equal(fixture.CodexPort, redirect.Port);

        var location = await FollowForwarder(redirect);
        Assert.Equal($"http://127.0.0.1:{G.Port}/codex/callback{redirect.Query}", location.ToString());
        var page = await G.Raw("GET", location.PathAndQuery);
        Assert.Contains("Authentication successful", page.Body);
        Assert.Equal("ok", (string?)(await G.AuthStatus(state))["status"]);
        Assert.True(File.Exists(G.AuthPath(LoginProvider.All["codex"].FileName("fwd@example.com"))));
    }

    [Fact]
    public async Task Two_concurrent_logins_of_a_provider_share_its_forwarder_and_both_complete()
    {
        Fake.Account = new FakeAccount(Email: "first@example.com");
        var first = await StartWebUi("/anthropic-auth-url?is_webui=1");
        var firstRedirect = Fake.Approve(first.Url);
        Fake.Account = new FakeAccount(Email: "second@example.com");
        var second = await StartWebUi("/anthropic-auth-url?is_webui=on");
        var secondRedirect = Fake.Approve(second.Url);
        var forwarders = ((InProcessGateway)G).Services.GetRequiredService<CallbackForwarders>();
        Assert.Single(await forwarders.ListeningPortsAsync(CancellationToken.None), fixture.AnthropicPort);

        // The first login's callback comes after the second started: the reference's second forwarder had taken the port over.
        foreach (var (redirect, state) in new[] { (firstRedirect, first.State), (secondRedirect, second.State) })
        {
            var location = await FollowForwarder(redirect);
            await G.Raw("GET", location.PathAndQuery);
            Assert.Equal("ok", (string?)(await G.FinalStatus(state))["status"]);
        }
        Assert.True(File.Exists(G.AuthPath("claude-first@example.com.json")));
        Assert.True(File.Exists(G.AuthPath("claude-second@example.com.json")));
    }

    [Fact]
    public async Task A_taken_port_does_not_stop_the_login_and_the_pasted_redirect_completes_it()
    {
        Fake.Account = new FakeAccount(Email: "taken@example.com");
        var start = await G.Call("GET", "/iflow-auth-url?is_webui=yes");
        Assert.Equal(200, start.Status);
        var body = start.Json!.AsObject();
        Assert.Equal("ok", (string?)body["status"]);
        var note = (string?)body["forwarder_error"];
        Assert.NotNull(note);
        Assert.Contains($"port {fixture.TakenPort}", note);
        Assert.Contains("POST /oauth-callback", note);
        var state = (string)body["state"]!;
        Assert.Equal("wait", (string?)(await G.AuthStatus(state))["status"]);

        Mgmt.AssertOk(await G.PostCallback("iflow", Fake.Approve((string)body["url"]!)));
        Assert.Equal("ok", (string?)(await G.FinalStatus(state))["status"]);
        Assert.True(File.Exists(G.AuthPath("iflow-taken@example.com.json")));
    }

    [Fact]
    public async Task Without_is_webui_or_for_a_device_login_no_forwarder_is_started()
    {
        var forwarders = ((InProcessGateway)G).Services.GetRequiredService<CallbackForwarders>();
        var before = await forwarders.ListeningPortsAsync(CancellationToken.None);
        var plain = await G.Call("GET", "/codex-auth-url?is_webui=false");
        Assert.Null(plain.Json!["forwarder_error"]);
        var device = await G.Call("GET", "/qwen-auth-url?is_webui=true");
        Assert.Equal(200, device.Status);
        Assert.Null(device.Json!["forwarder_error"]);
        Assert.Subset(before.ToHashSet(), (await forwarders.ListeningPortsAsync(CancellationToken.None)).ToHashSet());
    }

    private async Task<(string Url, string State)> StartWebUi(string route)
    {
        var start = await G.Call("GET", route);
        Assert.True(start.Status == 200, start.ToString());
        var body = start.Json!.AsObject();
        Assert.Null(body["forwarder_error"]);
        return ((string)body["url"]!, (string)body["state"]!);
    }

    /// <summary>Sends the provider's redirect to the forwarder (over the socket, as the browser does) and returns where it redirects.</summary>
    private static async Task<Uri> FollowForwarder(Uri redirect)
    {
        using var browser = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        using var response = await browser.GetAsync(new UriBuilder(redirect) { Host = "127.0.0.1" }.Uri);
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        return response.Headers.Location!;
    }
}
