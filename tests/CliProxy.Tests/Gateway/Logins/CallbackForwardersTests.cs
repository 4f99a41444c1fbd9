using System.Collections.Concurrent;
using System.Net.Sockets;
using CliProxy.Domain.OAuth;
using CliProxy.Gateway.Hosting;
using CliProxy.Gateway.Logins;
using CliProxy.Tests.Cluster.Harness;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Gateway.Logins;

/// <summary>
/// <see cref="CallbackForwarders"/> on a fake clock: a forwarder runs while a login of its provider is
/// pending, and is stopped at the first check after the last one finished or ran out of callback time.
/// </summary>
[Http]
public sealed class CallbackForwardersTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _clock = new();
    private readonly FakeProbe _probe = new();
    private readonly int _port = FreePort.Next();

    [Fact]
    public async Task A_forwarder_stops_at_the_first_check_after_its_last_login_finished()
    {
        await using var run = await Start(callbackWait: TimeSpan.FromMinutes(5));
        _probe.Pending["s1"] = true;
        _probe.Pending["s2"] = true;
        Assert.True((await run.Forwarders.OpenAsync(OAuthProviders.Codex, "s1", CancellationToken.None)).Listening);
        Assert.True((await run.Forwarders.OpenAsync(OAuthProviders.Codex, "s2", CancellationToken.None)).Listening);
        Assert.True(await Accepts(_port));

        _probe.Pending["s1"] = false;
        await Check(run);
        Assert.Equal([_port], await run.Forwarders.ListeningPortsAsync(CancellationToken.None));
        Assert.True(await Accepts(_port));

        _probe.Pending["s2"] = false;
        await Check(run);
        await Poll.UntilAsync(async () => (await run.Forwarders.ListeningPortsAsync(CancellationToken.None)).Count == 0, Wait, () => "the forwarder stopped");
        Assert.False(await Accepts(_port));
    }

    [Fact]
    public async Task A_forwarder_stops_once_its_logins_callback_wait_is_over_and_starts_again_on_demand()
    {
        await using var run = await Start(callbackWait: TimeSpan.FromSeconds(25));
        _probe.Pending["slow"] = true;
        Assert.True((await run.Forwarders.OpenAsync(OAuthProviders.Codex, "slow", CancellationToken.None)).Listening);
        await Check(run);
        await Check(run);
        Assert.True(await Accepts(_port));
        await Check(run); // 30 s: past the 25 s callback wait
        await Poll.UntilAsync(async () => (await run.Forwarders.ListeningPortsAsync(CancellationToken.None)).Count == 0, Wait, () => "the forwarder stopped");
        Assert.False(await Accepts(_port));

        _probe.Pending["next"] = true;
        Assert.True((await run.Forwarders.OpenAsync(OAuthProviders.Codex, "next", CancellationToken.None)).Listening);
        Assert.True(await Accepts(_port));
    }

    [Fact]
    public async Task A_login_whose_status_cannot_be_read_keeps_its_forwarder_until_its_callback_wait_is_over()
    {
        await using var run = await Start(callbackWait: TimeSpan.FromSeconds(15));
        _probe.Pending["unreachable"] = true;
        _probe.Fail = true;
        Assert.True((await run.Forwarders.OpenAsync(OAuthProviders.Codex, "unreachable", CancellationToken.None)).Listening);
        await Check(run);
        Assert.True(await Accepts(_port));
        await Check(run); // 20 s: past the 15 s callback wait
        await Poll.UntilAsync(async () => (await run.Forwarders.ListeningPortsAsync(CancellationToken.None)).Count == 0, Wait, () => "the forwarder stopped");
    }

    private async Task<Run> Start(TimeSpan callbackWait)
    {
        var settings = new OAuthSettings
        {
            CallbackWait = callbackWait,
            ForwarderIdle = Idle,
            Providers = new Dictionary<string, OAuthEndpoints>
            {
                [OAuthProviders.Codex] = new() { RedirectUri = $"http://localhost:{_port}/auth/callback" },
            },
        };
        var host = new GatewayHost("127.0.0.1", 8317, null, "", "", "test");
        var forwarders = new CallbackForwarders(settings, host, _probe, _clock, NullLogger<CallbackForwarders>.Instance);
        await forwarders.StartAsync(CancellationToken.None);
        return new Run(forwarders);
    }

    /// <summary>Advances the clock to the next check and waits until the probe was asked about every login it knows.</summary>
    private async Task Check(Run run)
    {
        var asked = _probe.Asked;
        _clock.Advance(Idle);
        await Poll.UntilAsync(() => _probe.Asked > asked || run.Forwarders.ExecuteTask!.IsCompleted, Wait, () => "a check");
        Assert.False(run.Forwarders.ExecuteTask!.IsCompleted);
        await Task.Yield();
    }

    private static async Task<bool> Accepts(int port)
    {
        using var client = new TcpClient();
        try
        {
            await client.ConnectAsync("127.0.0.1", port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private sealed class FakeProbe : ILoginProbe
    {
        private int _asked;

        public ConcurrentDictionary<string, bool> Pending { get; } = new();

        public int Asked => Volatile.Read(ref _asked);

        public volatile bool Fail;

        public Task<bool> IsPendingAsync(string state, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _asked);
            return Fail ? Task.FromException<bool>(new TimeoutException("no silo answered")) : Task.FromResult(Pending.GetValueOrDefault(state));
        }
    }

    private sealed class Run(CallbackForwarders forwarders) : IAsyncDisposable
    {
        public CallbackForwarders Forwarders { get; } = forwarders;

        public async ValueTask DisposeAsync()
        {
            await Forwarders.StopAsync(CancellationToken.None);
            Forwarders.Dispose();
        }
    }
}
