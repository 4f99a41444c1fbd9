using System.Collections.Immutable;
using CliProxy.Abstractions.OAuth;
using CliProxy.Domain.OAuth;
using CliProxy.Tests.Support.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Grains.OAuth;

/// <summary>A cluster of its own for tests that kill a silo.</summary>
public sealed class OAuthSiloLossFixture : OAuthClusterFixture;

/// <summary>A login in progress outlives the silo that held its session.</summary>
[Grain]
public sealed class OAuthSiloLossTests(OAuthSiloLossFixture fixture) : IClassFixture<OAuthSiloLossFixture>
{
    [Fact]
    public async Task A_pending_login_whose_silo_is_lost_completes_through_the_surviving_silo()
    {
        fixture.Fake.Account = new FakeAccount(Email: "survivor@example.com");
        var victim = fixture.Cluster.Silos[1];
        var management = fixture.Silo(0).GetGrain<IManagementGrain>(0);
        // Random placement puts a session on the victim with probability 1 - 2^-100 over the attempts below.
        Assert.IsType<RandomPlacement>(victim.ServiceProvider.GetRequiredService<PlacementStrategy>());
        // Start logins through the second silo until one session lives there.
        string? state = null, url = null;
        for (var attempt = 0; attempt < 100 && state is null; attempt++)
        {
            var candidate = OAuthState.New();
            var session = fixture.Silo(1).GetGrain<IOAuthSessionGrain>(OAuthSessionKeys.For(candidate));
            var started = await session.Start(new OAuthStartRequest(OAuthProviders.Codex, "", ImmutableDictionary<string, string>.Empty));
            Assert.Equal(OAuthRefusal.None, started.Refusal);
            if (await management.GetActivationAddress(session) == victim.SiloAddress) (state, url) = (candidate, started.Url);
        }
        Assert.NotNull(state);

        await fixture.Cluster.KillSiloAsync(victim);
        var survivor = fixture.Silo(0).GetGrain<IOAuthSessionGrain>(OAuthSessionKeys.For(state));
        Assert.Equal(OAuthPhase.Pending, (await survivor.GetStatus()).Phase);
        var code = LoginKit.QueryOf(fixture.Fake.Approve(url!).ToString())["code"];
        Assert.Equal(OAuthRefusal.None, await survivor.SubmitCallback(new OAuthCallback("codex", code, "")));
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        OAuthSessionStatus status;
        while ((status = await survivor.GetStatus()).Phase == OAuthPhase.Pending && DateTime.UtcNow < until) await Task.Delay(20);
        Assert.Equal(OAuthPhase.Completed, status.Phase);
        Assert.Single(Directory.GetFiles(fixture.AuthDirectory, "codex-*-survivor@example.com-plus.json"));
    }
}
