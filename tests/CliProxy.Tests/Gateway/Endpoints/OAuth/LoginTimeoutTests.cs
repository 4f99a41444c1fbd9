using CliProxy.Tests.Support.Fakes;

namespace CliProxy.Tests.Gateway.Endpoints.OAuth;

/// <summary>A gateway with short login timings (callback wait and completion limit of 2 s).</summary>
public sealed class ShortTimeoutLoginGateway : LoginGateway
{
    /// <inheritdoc />
    protected override Dictionary<string, string> MoreSettings => new()
    {
        ["CLIPROXY_OAuth__CallbackWaitSeconds"] = "2",
        ["CLIPROXY_OAuth__CompletionTimeoutSeconds"] = "2",
    };
}

/// <summary>Logins that run out of time: the provider's timeout message, a refused late callback, and nothing written.</summary>
[Http]
public sealed class LoginTimeoutTests(ShortTimeoutLoginGateway fixture) : IClassFixture<ShortTimeoutLoginGateway>
{
    private TestGateway G => fixture.Gateway;

    [Fact]
    public async Task A_login_without_a_callback_times_out_with_the_providers_message_and_refuses_a_late_callback()
    {
        var before = G.AuthFileNames();
        var (url, state) = await G.StartLogin("/codex-auth-url");
        var (gemini, geminiState) = await G.StartLogin("/gemini-cli-auth-url");
        Assert.Equal("wait", (string?)(await G.AuthStatus(state))["status"]);
        Mgmt.AssertJson("""{"status":"error","error":"Timeout waiting for OAuth callback"}""", (await G.FinalStatus(state)).ToJsonString());
        Mgmt.AssertJson("""{"status":"error","error":"OAuth flow timed out"}""", (await G.FinalStatus(geminiState)).ToJsonString());
        var late = await G.PostCallback("codex", fixture.Fake.Approve(url));
        Assert.Equal(409, late.Status);
        Mgmt.AssertJson("""{"status":"error","error":"oauth flow is not pending"}""", late.Body);
        Assert.Equal(409, (await G.PostCallback("gemini", fixture.Fake.Approve(gemini))).Status);
        Assert.Equal(before, G.AuthFileNames());
    }

    [Fact]
    public async Task A_login_whose_token_exchange_hangs_is_ended_by_the_completion_limit()
    {
        var before = G.AuthFileNames();
        fixture.Fake.TokenDelay = TimeSpan.FromSeconds(10);
        try
        {
            var (url, state) = await G.StartLogin("/anthropic-auth-url");
            Mgmt.AssertOk(await G.PostCallback("anthropic", fixture.Fake.Approve(url)));
            Mgmt.AssertJson("""{"status":"error","error":"Authentication failed: login did not finish in time"}""", (await G.FinalStatus(state)).ToJsonString());
        }
        finally
        {
            fixture.Fake.TokenDelay = TimeSpan.Zero;
        }
        Assert.Equal(before, G.AuthFileNames());
    }
}
