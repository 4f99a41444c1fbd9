using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CliProxy.Domain.OAuth.Credentials;
using CliProxy.Grains.OAuth.Flows;

namespace CliProxy.Tests.Grains.OAuth;

/// <summary>
/// A device-code flow plugged in through <see cref="IOAuthPollingFlow"/> (provider <c>fake-device</c>),
/// to show that the session grain polls, finishes and stops such flows: it stays pending until the test
/// approves the user code, and counts its polls.
/// </summary>
public sealed class FakeDeviceFlow(FakeDeviceFlow.Switchboard board) : IOAuthPollingFlow
{
    /// <summary>The flow's provider name.</summary>
    public const string Name = "fake-device";

    /// <summary>The test's side: approvals and poll counts per session state.</summary>
    public sealed class Switchboard
    {
        /// <summary>States whose user code was approved.</summary>
        public HashSet<string> Approved { get; } = [];

        /// <summary>Polls per state.</summary>
        public Dictionary<string, int> Polls { get; } = [];
    }

    /// <inheritdoc />
    public string Provider => Name;

    /// <inheritdoc />
    public string TimeoutMessage => "device code expired";

    /// <inheritdoc />
    public string SaveFailedMessage => "Failed to save authentication tokens";

    /// <inheritdoc />
    public Task<OAuthFlowStart> StartAsync(OAuthFlowContext context, ImmutableDictionary<string, string> options, CancellationToken cancellationToken)
    {
        context.Data["device_code"] = "dc-" + context.State;
        return Task.FromResult(new OAuthFlowStart("http://127.0.0.1/verify?user_code=ABCD", Wait: TimeSpan.FromMinutes(3), FirstPoll: TimeSpan.FromSeconds(5),
            Fields: ImmutableDictionary<string, string>.Empty.Add("user_code", "\"ABCD\"").Add("flow", "\"device\"")));
    }

    /// <inheritdoc />
    public Task<OAuthPoll> PollAsync(OAuthFlowContext context, CancellationToken cancellationToken)
    {
        Assert.Equal("dc-" + context.State, context.Data["device_code"]);
        lock (board) board.Polls[context.State] = board.Polls.GetValueOrDefault(context.State) + 1;
        if (!board.Approved.Contains(context.State)) return Task.FromResult(OAuthPoll.Wait(TimeSpan.FromSeconds(5)));
        var json = LoginCredential.SortedCompact(new JsonObject { ["type"] = "fake", ["access_token"] = "device-token", ["email"] = context.State });
        return Task.FromResult(OAuthPoll.Done(new LoginCredential($"fake-{context.State}.json", json)));
    }
}
