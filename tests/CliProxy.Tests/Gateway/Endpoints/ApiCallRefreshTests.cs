using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Domain.OAuth.Credentials;
using CliProxy.Tests.Support.Fakes;
using CliProxy.Tests.Support.Outbound;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>A gateway whose token refreshes go to the fake providers, and a loopback echo upstream.</summary>
public sealed class ApiCallRefreshGateway : IAsyncLifetime
{
    /// <summary>The fake providers (single-use refresh tokens, a refresh counter and gate).</summary>
    public FakeOAuthServer Fake { get; private set; } = null!;

    /// <summary>The upstream.</summary>
    public EchoUpstream Upstream { get; private set; } = null!;

    /// <summary>The gateway.</summary>
    public TestGateway Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Fake = await FakeOAuthServer.StartAsync();
        Upstream = await EchoUpstream.StartAsync();
        Gateway = await Mgmt.StartGatewayAsync(Mgmt.FullYaml, Fake.Settings());
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
        await Fake.DisposeAsync();
    }
}

/// <summary>
/// <c>POST /api-call</c>'s <c>$TOKEN$</c> on an auth-file credential whose access token expired (spec
/// <c>management-usage-logs.md</c> §3.3, defect 17: the reference refreshed into a copy, so every call
/// refreshed again): the credential's grain refreshes exactly once, also for racing calls, stores the new
/// tokens, and every call sends the new token.
/// </summary>
[Http]
public sealed class ApiCallRefreshTests(ApiCallRefreshGateway fixture) : IClassFixture<ApiCallRefreshGateway>
{
    private TestGateway G => fixture.Gateway;

    private FakeOAuthServer Fake => fixture.Fake;

    [Fact]
    public async Task An_expired_token_is_refreshed_once_and_the_new_token_is_sent_and_kept()
    {
        var (name, index) = await UploadExpired("claude-apicall-once@example.com.json");
        var before = Fake.Refreshes;

        var first = await SentToken(index);
        Assert.StartsWith("at-anthropic-", first);
        Assert.Equal(1, Fake.Refreshes - before);
        Assert.Equal(first, (string?)G.DiskJson(name)["access_token"]);

        Assert.Equal(first, await SentToken(index));
        Assert.Equal(1, Fake.Refreshes - before);
    }

    [Fact]
    public async Task Two_racing_calls_share_one_refresh_and_both_send_the_new_token()
    {
        var (_, index) = await UploadExpired("claude-apicall-race@example.com.json");
        var before = (Refreshes: Fake.Refreshes, Requests: Fake.RefreshRequests);
        var gate = Fake.RefreshGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var calls = new[] { SentToken(index), SentToken(index) };
            await Mgmt.Eventually(() => Task.FromResult(Fake.RefreshRequests > before.Requests), TimeSpan.FromSeconds(15), "the refresh request");
            // While the first refresh is held the second call reaches the credential's grain; nothing shows when it
            // got there, so it is given half a second (a second refresh request in that time would fail the test below).
            await Task.Delay(500);
            gate.SetResult();
            var tokens = await Task.WhenAll(calls);
            Assert.StartsWith("at-anthropic-", tokens[0]);
            Assert.Equal(tokens[0], tokens[1]);
            Assert.Equal(1, Fake.Refreshes - before.Refreshes);
            Assert.Equal(1, Fake.RefreshRequests - before.Requests);
        }
        finally
        {
            Fake.RefreshGate = null;
            gate.TrySetResult();
        }
    }

    /// <summary>Uploads a Claude credential whose token expired 5 minutes ago, with a refresh token the fake accepts once.</summary>
    private async Task<(string Name, string Index)> UploadExpired(string name)
    {
        var now = DateTimeOffset.UtcNow;
        await G.Upload(name, new JsonObject
        {
            ["type"] = "claude",
            ["email"] = name["claude-".Length..^".json".Length],
            ["access_token"] = "at-expired",
            ["refresh_token"] = Fake.IssueRefreshToken("anthropic"),
            ["expired"] = LoginCredential.Time(now.AddMinutes(-5)),
            ["last_refresh"] = LoginCredential.Time(now.AddHours(-1)),
        }.ToJsonString());
        return (name, AuthKit.AuthIndexOf(name));
    }

    /// <summary>Calls the echo upstream with <c>Authorization: Bearer $TOKEN$</c> and returns the token it received.</summary>
    private async Task<string> SentToken(string index)
    {
        var r = await G.Call("POST", "/api-call", JsonSerializer.Serialize(new
        {
            auth_index = index, method = "GET", url = $"{fixture.Upstream.Url}/echo/refresh",
            header = new Dictionary<string, string> { ["Authorization"] = "Bearer $TOKEN$" },
        }));
        Assert.True(r.Status == 200, r.ToString());
        var echo = JsonNode.Parse((string)r.Json!["body"]!)!;
        var authorization = (string)echo["headers"]!["Authorization"]!;
        Assert.StartsWith("Bearer ", authorization);
        return authorization["Bearer ".Length..];
    }
}
