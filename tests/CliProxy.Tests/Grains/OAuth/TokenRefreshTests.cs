using System.Text.Json.Nodes;
using CliProxy.Abstractions.AuthFiles;
using CliProxy.Abstractions.Credentials;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.OAuth.Credentials;
using CliProxy.Tests.Support.Fakes;

namespace CliProxy.Tests.Grains.OAuth;

/// <summary>
/// Token refresh by the credential's own grain on a 2-silo cluster against the fake token endpoint (whose
/// refresh tokens work once): one refresh for concurrent callers on both silos, a disable made while a
/// refresh is out survives it, a refused refresh token is recorded and not sent again, a valid token is not refreshed.
/// </summary>
[Grain]
public sealed class TokenRefreshTests(OAuthClusterFixture fixture) : IClassFixture<OAuthClusterFixture>
{
    private FakeOAuthServer Fake => fixture.Fake;

    private IAuthFileGrain Credential(int silo, string name) => fixture.Silo(silo).GetGrain<IAuthFileGrain>(AuthFileKeys.For(name));

    /// <summary>Stores a Claude credential whose token expires <paramref name="expiresIn"/> from now on the cluster's clock.</summary>
    private async Task<string> StoreClaude(string name, TimeSpan expiresIn, string? refreshToken = null)
    {
        var now = fixture.Time.GetUtcNow();
        var json = LoginCredential.SortedCompact(new JsonObject
        {
            ["access_token"] = "at-old",
            ["email"] = name,
            ["expired"] = LoginCredential.Time(now + expiresIn),
            ["last_refresh"] = LoginCredential.Time(now),
            ["refresh_token"] = refreshToken ?? Fake.IssueRefreshToken("anthropic"),
            ["type"] = "claude",
        });
        Assert.True((await Credential(0, name).Replace(json)).IsSuccess);
        return json;
    }

    private async Task<JsonObject> Stored(string name) => JsonText.ParseObject((await Credential(1, name).Get())!.Json)!;

    private static async Task Until(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting for: " + what);
            await Task.Delay(10);
        }
    }

    [Fact]
    public async Task Concurrent_callers_on_two_silos_share_one_refresh_and_the_new_tokens_are_stored()
    {
        const string name = "claude-concurrent@example.com.json";
        var before = Fake.Refreshes;
        await StoreClaude(name, TimeSpan.FromSeconds(-5));
        var gate = Fake.RefreshGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var callers = Enumerable.Range(0, 10).Select(i => Credential(i % 2, name).GetAccessToken()).ToArray();
            await Until(() => Fake.RefreshRequests > 0, "the refresh request");
            gate.SetResult();
            var tokens = await Task.WhenAll(callers);
            Assert.All(tokens, t => Assert.Equal(CredentialTokenProblem.None, t.Problem));
            Assert.Single(tokens.Select(t => t.Token).Distinct());
            Assert.StartsWith("at-anthropic-", tokens[0].Token);
            Assert.Equal(1, Fake.Refreshes - before);
            var stored = await Stored(name);
            Assert.Equal(tokens[0].Token, (string?)stored["access_token"]);
            Assert.True(DateTimeOffset.Parse((string)stored["expired"]!) > fixture.Time.GetUtcNow().AddMinutes(59));
            // Stored: the next caller gets the new token without another refresh.
            Assert.Equal(tokens[0].Token, (await Credential(1, name).GetAccessToken()).Token);
            Assert.Equal(1, Fake.Refreshes - before);
        }
        finally
        {
            Fake.RefreshGate = null;
            gate.TrySetResult();
        }
    }

    [Fact]
    public async Task A_disable_made_while_a_refresh_is_out_survives_it()
    {
        const string name = "claude-disable-during@example.com.json";
        await StoreClaude(name, TimeSpan.FromSeconds(10)); // within the 30 s margin: refreshed before use
        var requests = Fake.RefreshRequests;
        var gate = Fake.RefreshGate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            var token = Credential(0, name).GetAccessToken();
            await Until(() => Fake.RefreshRequests > requests, "the refresh request");
            // The grain answers management changes while its refresh is out.
            Assert.True((await Credential(1, name).SetDisabled(true)).IsSuccess);
            Assert.True((await Credential(1, name).PatchFields(new AuthFieldsPatch("team", null, 5, null))).IsSuccess);
            gate.SetResult();
            Assert.StartsWith("at-anthropic-", (await token).Token);
        }
        finally
        {
            Fake.RefreshGate = null;
            gate.TrySetResult();
        }
        var stored = await Stored(name);
        Assert.StartsWith("at-anthropic-", (string?)stored["access_token"]);
        Assert.Equal((true, "team", 5L), ((bool)stored["disabled"]!, (string?)stored["prefix"], (long)stored["priority"]!));
    }

    [Fact]
    public async Task A_refused_refresh_token_is_recorded_in_the_status_and_not_sent_again_until_replaced()
    {
        const string name = "claude-revoked@example.com.json";
        await StoreClaude(name, TimeSpan.FromMinutes(-1), refreshToken: "rt-anthropic-revoked");
        var requests = Fake.RefreshRequests;
        Assert.Equal(CredentialTokenProblem.RefreshFailed, (await Credential(0, name).GetAccessToken()).Problem);
        Assert.Equal(CredentialTokenProblem.RefreshFailed, (await Credential(1, name).GetAccessToken()).Problem);
        Assert.Equal(1, Fake.RefreshRequests - requests);
        var summary = (await Credential(1, name).Get())!.Summary;
        Assert.Equal("refresh failed: refresh token rejected (invalid_grant)", summary.StatusMessage);
        Assert.Equal("at-old", (string?)(await Stored(name))["access_token"]);

        // A new login (or upload) brings a working refresh token: refreshing works again.
        await StoreClaude(name, TimeSpan.FromMinutes(-1));
        Assert.StartsWith("at-anthropic-", (await Credential(0, name).GetAccessToken()).Token);
    }

    [Fact]
    public async Task A_valid_token_is_returned_without_a_refresh_and_a_type_without_refresh_gives_its_stored_token()
    {
        const string name = "claude-valid@example.com.json";
        await StoreClaude(name, TimeSpan.FromHours(1));
        var requests = Fake.RefreshRequests;
        Assert.Equal("at-old", (await Credential(1, name).GetAccessToken()).Token);
        Assert.Equal(0, Fake.RefreshRequests - requests);

        Assert.True((await Credential(0, "key.json").Replace("""{"type":"openai-compat","api_key":"sk-1","expired":"2000-01-01T00:00:00Z"}""")).IsSuccess);
        Assert.Equal("sk-1", (await Credential(1, "key.json").GetAccessToken()).Token);
        Assert.Equal(CredentialTokenProblem.NotFound, (await Credential(1, "missing.json").GetAccessToken()).Problem);
    }
}
