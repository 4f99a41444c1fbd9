using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Domain.OAuth;
using CliProxy.Domain.OAuth.Credentials;
using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Tests.Support.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>
/// A Claude auth file whose access token expired, used by two proxy requests at once (issue 12: "a refresh happens once
/// when a token expired"): the credential's grain asks the provider's token endpoint (<see cref="FakeOAuthServer"/>,
/// whose refresh tokens work once) a single time, and both requests reach the upstream
/// (<see cref="FakeOAuthUpstreams"/>) with the new token.
/// </summary>
[Http]
public sealed class OAuthRefreshProxyTests : IAsyncLifetime
{
    private const string ClientKey = "client-refresh";
    private const string FileName = "claude-expired.json";
    private FakeOAuthServer _provider = null!;
    private FakeOAuthUpstreams _upstream = null!;
    private InProcessGateway _gateway = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _provider = await FakeOAuthServer.StartAsync();
        _upstream = await FakeOAuthUpstreams.StartAsync();
        var options = new UpstreamOptions();
        options.BaseUrls[UpstreamProviders.Claude] = _upstream.ClaudeBaseUrl;
        _gateway = InProcessGateway.Prepare($"""
            auth-dir: ./auths
            remote-management:
              secret-key: {Mgmt.Key}
            api-keys: [{ClientKey}]
            """, _provider.Settings()).WithServices(services => services.AddSingleton(options));
        Directory.CreateDirectory(_gateway.AuthDir());
        var now = DateTimeOffset.UtcNow;
        await File.WriteAllTextAsync(_gateway.AuthPath(FileName), new JsonObject
        {
            ["type"] = "claude",
            ["email"] = "expired@example.com",
            ["access_token"] = "at-expired",
            ["refresh_token"] = _provider.IssueRefreshToken(OAuthProviders.Anthropic),
            ["expired"] = LoginCredential.Time(now.AddMinutes(-5)),
            ["last_refresh"] = LoginCredential.Time(now.AddHours(-1)),
        }.ToJsonString());
        await _gateway.StartAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
        await _provider.DisposeAsync();
    }

    private async Task<int> MessageAsync()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = new StringContent("""{"model":"claude-sonnet-4-5-20250929","max_tokens":10,"messages":[]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ClientKey);
        using var response = await _gateway.Client.SendAsync(request);
        return (int)response.StatusCode;
    }

    [Fact]
    public async Task Two_requests_on_an_expired_token_share_one_refresh_and_both_send_the_new_token()
    {
        var gate = _provider.RefreshGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var calls = new[] { MessageAsync(), MessageAsync() };
            await Mgmt.Eventually(() => Task.FromResult(_provider.RefreshRequests > 0), TimeSpan.FromSeconds(15), "the refresh request");
            // While the refresh is held the second request reaches the credential's grain; nothing shows when it got
            // there, so it is given half a second (a second refresh request in that time fails the assertions below).
            await Task.Delay(500);
            gate.SetResult();
            var statuses = await Task.WhenAll(calls);
            Assert.Equal([200, 200], statuses);
        }
        finally
        {
            _provider.RefreshGate = null;
            gate.TrySetResult();
        }
        Assert.Equal((1, 1), (_provider.RefreshRequests, _provider.Refreshes));
        var sent = _upstream.Requests.Where(r => r.Path == "/v1/messages").Select(r => r.Headers["Authorization"]).ToList();
        Assert.Equal(2, sent.Count);
        Assert.StartsWith("Bearer at-anthropic-", sent[0]);
        Assert.Equal(sent[0], sent[1]);
        var stored = JsonNode.Parse(await File.ReadAllTextAsync(_gateway.AuthPath(FileName)))!;
        Assert.Equal(sent[0], "Bearer " + (string?)stored["access_token"]);
    }
}
