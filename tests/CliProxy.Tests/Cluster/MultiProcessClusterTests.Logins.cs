using System.Text.Json.Nodes;
using CliProxy.Abstractions.OAuth;
using CliProxy.Tests.Cluster.Harness;
using CliProxy.Tests.Gateway.Endpoints.OAuth;
using CliProxy.Tests.Support.Fakes;

namespace CliProxy.Tests.Cluster;

/// <summary>Logins on the multi-process cluster: a session outlives the silo process that held it (issue 10).</summary>
public sealed partial class MultiProcessClusterTests
{
    private static readonly TimeSpan LoginDeadline = TimeSpan.FromSeconds(60);

    /// <summary>
    /// (k) A Codex login is started through gateway A, the silo holding its session is killed (SIGKILL)
    /// before the provider's redirect arrives, and the redirect is delivered through gateway B: the login
    /// completes, and the credential is listed through both gateways.
    /// </summary>
    [Fact]
    public async Task A_login_whose_silo_is_killed_before_the_callback_completes_through_the_other_gateway()
    {
        var email = $"kill-wait-{Guid.NewGuid():N}"[..20] + "@example.com";
        cluster.OAuth.Account = new FakeAccount(Email: email);
        var (url, state) = await StartLoginAsync(A);
        var victim = await SessionHostAsync(state);
        await Harness.KillAsync(victim);
        output.WriteLine($"killed {victim.Name} (session host) at +{Harness.Elapsed.TotalSeconds:F1} s");

        var redirect = cluster.OAuth.Approve(url);
        var body = new JsonObject { ["provider"] = "codex", ["redirect_url"] = redirect.ToString() }.ToJsonString();
        HttpResult submitted = null!;
        await Poll.UntilAsync(async () => (submitted = await B.SendAsync(HttpMethod.Post, GatewayNode.Management + "/oauth-callback", body)).Status is not (0 or >= 500),
            LoginDeadline, () => $"callback accepted via B: {submitted}\n{Harness.Describe()}", TimeSpan.FromMilliseconds(200));
        Assert.True(submitted.IsSuccess, submitted.ToString());
        await AssertCompletedAsync(state, LoginProvider.All["codex"].FileName(email));
    }

    /// <summary>
    /// (l) The silo holding a session is killed while it exchanges the code (the fake provider holds the
    /// token request): the session, persisted with its callback, is finished by the surviving silo once a
    /// status poll through the other gateway activates it there, and the credential is listed through both gateways.
    /// </summary>
    [Fact]
    public async Task A_login_whose_silo_is_killed_while_exchanging_the_code_is_finished_by_the_survivor()
    {
        var email = $"kill-xchg-{Guid.NewGuid():N}"[..20] + "@example.com";
        cluster.OAuth.Account = new FakeAccount(Email: email);
        var (url, state) = await StartLoginAsync(A);
        var victim = await SessionHostAsync(state);
        var redirect = cluster.OAuth.Approve(url);
        var code = LoginKit.QueryOf(redirect.ToString())["code"];
        cluster.OAuth.TokenDelay = TimeSpan.FromMinutes(5);
        try
        {
            var body = new JsonObject { ["provider"] = "codex", ["redirect_url"] = redirect.ToString() }.ToJsonString();
            var submitted = await A.SendAsync(HttpMethod.Post, GatewayNode.Management + "/oauth-callback", body);
            Assert.True(submitted.IsSuccess, submitted.ToString());
            await Poll.UntilAsync(() => cluster.OAuth.Requests.Any(r => r.PathAndQuery == "/codex/token" && r.Fields.GetValueOrDefault("code") == code),
                LoginDeadline, () => "the token request reached the provider");
        }
        finally
        {
            cluster.OAuth.TokenDelay = TimeSpan.Zero;
        }
        await Harness.KillAsync(victim);
        output.WriteLine($"killed {victim.Name} (session host, exchanging the code) at +{Harness.Elapsed.TotalSeconds:F1} s");
        await AssertCompletedAsync(state, LoginProvider.All["codex"].FileName(email));
    }

    private static async Task<(string Url, string State)> StartLoginAsync(GatewayNode gateway)
    {
        var started = await gateway.SendAsync(HttpMethod.Get, GatewayNode.Management + "/codex-auth-url");
        Assert.True(started.IsSuccess, started.ToString());
        var json = JsonNode.Parse(started.Body)!.AsObject();
        return ((string)json["url"]!, (string)json["state"]!);
    }

    private async Task<SiloNode> SessionHostAsync(string state)
    {
        var client = await Harness.GetClusterClientAsync();
        var session = client.GetGrain<IOAuthSessionGrain>(OAuthSessionKeys.For(state));
        Assert.Equal(OAuthPhase.Pending, (await session.GetStatus()).Phase);
        return await Harness.FindHostAsync(session) ?? throw new InvalidOperationException("the session is active on no running silo\n" + Harness.Describe());
    }

    /// <summary>Polls the status through B until it is no longer <c>wait</c>: it must be <c>ok</c>, with the file listed through both gateways.</summary>
    private async Task AssertCompletedAsync(string state, string fileName)
    {
        JsonNode? status = null;
        await Poll.UntilAsync(async () =>
            {
                var r = await B.GetAsync(GatewayNode.Management + "/get-auth-status?state=" + state);
                if (r.Status != 200) return false;
                status = JsonNode.Parse(r.Body);
                return (string?)status!["status"] != "wait";
            }, LoginDeadline, () => $"login finished: {status?.ToJsonString()}\n{Harness.Describe()}", TimeSpan.FromMilliseconds(250));
        Assert.Equal("""{"status":"ok"}""", status!.ToJsonString());
        foreach (var gateway in cluster.Gateways)
            await Poll.UntilAsync(async () => (await gateway.GetAsync(GatewayNode.Management + "/auth-files")).Body.Contains($"\"{fileName}\"", StringComparison.Ordinal),
                Convergence, () => $"{fileName} listed via {gateway.Name}");
    }
}
