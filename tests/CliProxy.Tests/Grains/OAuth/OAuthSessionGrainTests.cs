using System.Collections.Immutable;
using CliProxy.Abstractions.OAuth;
using CliProxy.Domain.OAuth;
using CliProxy.Tests.Support.Fakes;

namespace CliProxy.Tests.Grains.OAuth;

/// <summary>Login sessions on a 2-silo cluster: any silo completes a login, state survives deactivation, expiry runs on the clock and the durable reminder, and polling flows plug in.</summary>
[Grain]
public sealed class OAuthSessionGrainTests(OAuthClusterFixture fixture) : IClassFixture<OAuthClusterFixture>
{
    private IOAuthSessionGrain Session(int silo, string state) => fixture.Silo(silo).GetGrain<IOAuthSessionGrain>(OAuthSessionKeys.For(state));

    private async Task<(string State, string Url)> StartAsync(int silo, string provider)
    {
        var state = OAuthState.New();
        var started = await Session(silo, state).Start(new OAuthStartRequest(provider, "", ImmutableDictionary<string, string>.Empty));
        Assert.Equal(OAuthRefusal.None, started.Refusal);
        return (state, started.Url);
    }

    private static async Task<OAuthSessionStatus> Settled(IOAuthSessionGrain session)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (true)
        {
            var status = await session.GetStatus();
            if (status.Phase != OAuthPhase.Pending || DateTime.UtcNow > until) return status;
            await Task.Delay(20);
        }
    }

    private static async Task Eventually(Func<bool> condition, string what)
    {
        var until = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < until, "timed out waiting for: " + what);
            await Task.Delay(20);
        }
    }

    private OAuthCallback CallbackFor(string url)
    {
        var code = LoginKit.QueryOf(fixture.Fake.Approve(url).ToString())["code"];
        return new OAuthCallback(null, code, "");
    }

    private string StateFile(string state) => Path.Combine(fixture.DataDirectory, "oauth-session", "oauth%3A" + state + ".json");

    [Fact]
    public async Task A_login_started_through_one_silo_completes_through_the_other()
    {
        fixture.Fake.Account = new FakeAccount(Email: "two-silos@example.com");
        var (state, url) = await StartAsync(0, OAuthProviders.Anthropic);
        Assert.Equal(OAuthPhase.Pending, (await Session(1, state).GetStatus()).Phase);
        Assert.Equal(OAuthRefusal.None, await Session(1, state).SubmitCallback(CallbackFor(url)));
        Assert.Equal(new OAuthSessionStatus(OAuthPhase.Completed, ""), await Settled(Session(0, state)));
        Assert.True(File.Exists(Path.Combine(fixture.AuthDirectory, "claude-two-silos@example.com.json")));
        Assert.Equal(OAuthRefusal.AlreadyCompleted, await Session(0, state).SubmitCallback(new OAuthCallback(null, "again", "")));
    }

    [Fact]
    public async Task A_pending_login_survives_the_deactivation_of_its_grain()
    {
        fixture.Fake.Account = new FakeAccount(Email: "deactivated@example.com");
        var (state, url) = await StartAsync(1, OAuthProviders.Codex);
        await fixture.Cluster.DeactivateAsync(Session(0, state));
        Assert.Equal(OAuthPhase.Pending, (await Session(0, state).GetStatus()).Phase);
        // The PKCE verifier came back with the state: the fake token endpoint checks it against the challenge.
        Assert.Equal(OAuthRefusal.None, await Session(0, state).SubmitCallback(CallbackFor(url)));
        Assert.Equal(OAuthPhase.Completed, (await Settled(Session(1, state))).Phase);
    }

    [Fact]
    public async Task A_session_times_out_at_its_deadline_and_is_forgotten_by_its_reminder_after_its_life()
    {
        var (state, url) = await StartAsync(0, OAuthProviders.Codex);
        Assert.True(File.Exists(StateFile(state)));
        fixture.Time.Advance(fixture.Settings.CallbackWait);
        Assert.Equal(new OAuthSessionStatus(OAuthPhase.Error, "Timeout waiting for OAuth callback"), await Session(1, state).GetStatus());
        Assert.Equal(OAuthRefusal.NotPending, await Session(1, state).SubmitCallback(CallbackFor(url)));

        fixture.Time.Advance(fixture.Settings.SessionTtl);
        Assert.Equal(OAuthSessionStatus.Unknown, await Session(0, state).GetStatus());
        // The reminder fires on the (fake) clock and removes the stored state and itself. The timeout's tick may
        // re-register the reminder while the clock jumps (its due time then counts from after the jump), so the
        // clock keeps moving a minute at a time, as real time would, until the reminder has run.
        await Eventually(() =>
        {
            if (!File.Exists(StateFile(state))) return true;
            fixture.Time.Advance(TimeSpan.FromMinutes(1));
            return false;
        }, "state file removed by the reminder");
        await Eventually(() => !File.ReadAllText(Path.Combine(fixture.DataDirectory, "reminders.json")).Contains(state, StringComparison.Ordinal),
            "reminder removed");
        Assert.Equal(OAuthRefusal.UnknownState, await Session(1, state).SubmitCallback(CallbackFor(url)));
    }

    [Fact]
    public async Task A_cancelled_session_is_unknown_and_a_second_cancel_is_false()
    {
        var (state, _) = await StartAsync(0, OAuthProviders.IFlow);
        Assert.True(await Session(1, state).Cancel());
        Assert.False(await Session(0, state).Cancel());
        Assert.Equal(OAuthSessionStatus.Unknown, await Session(0, state).GetStatus());
        Assert.False(File.Exists(StateFile(state)));
    }

    [Fact]
    public async Task Starting_a_provider_without_a_flow_registers_nothing()
    {
        var state = OAuthState.New();
        var started = await Session(0, state).Start(new OAuthStartRequest("no-such-provider", "", ImmutableDictionary<string, string>.Empty));
        Assert.Equal(OAuthRefusal.UnsupportedProvider, started.Refusal);
        Assert.Equal(OAuthSessionStatus.Unknown, await Session(1, state).GetStatus());
        Assert.False(File.Exists(StateFile(state)));
    }

    [Fact]
    public async Task A_polling_flow_is_polled_on_the_clock_until_approved_and_its_credential_saved()
    {
        var state = OAuthState.New();
        var started = await Session(0, state).Start(new OAuthStartRequest(FakeDeviceFlow.Name, "", ImmutableDictionary<string, string>.Empty));
        Assert.Equal(("\"ABCD\"", "\"device\""), (started.Fields["user_code"], started.Fields["flow"]));
        int Polls() { lock (fixture.Device) return fixture.Device.Polls.GetValueOrDefault(state); }
        Assert.Equal(0, Polls());
        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        await Eventually(() => Polls() == 1, "first poll");
        Assert.Equal(OAuthPhase.Pending, (await Session(1, state).GetStatus()).Phase);
        lock (fixture.Device) fixture.Device.Approved.Add(state);
        fixture.Time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(OAuthPhase.Completed, (await Settled(Session(1, state))).Phase);
        Assert.Contains("device-token", await File.ReadAllTextAsync(Path.Combine(fixture.AuthDirectory, $"fake-{state}.json")));
    }

    [Fact]
    public async Task Cancelling_a_polling_flow_stops_its_polls()
    {
        var state = OAuthState.New();
        await Session(0, state).Start(new OAuthStartRequest(FakeDeviceFlow.Name, "", ImmutableDictionary<string, string>.Empty));
        Assert.True(await Session(1, state).Cancel());
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        await Task.Delay(100);
        lock (fixture.Device) Assert.Equal(0, fixture.Device.Polls.GetValueOrDefault(state));
    }
}
