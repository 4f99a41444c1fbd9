using CliProxy.Abstractions.Activity;
using CliProxy.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Endpoints.AuthFiles;

/// <summary>
/// <c>GET /auth-files</c> when the cluster's attempt counts cannot be read (the activity grain's call fails): the list
/// still answers 200 with every entry, leaves out <c>success</c>, <c>failed</c> and <c>recent_requests</c>, and says why
/// in the log; once the grain answers again the counts are back.
/// </summary>
[Http]
public sealed class ListWithoutActivityTests
{
    [Fact]
    public async Task The_list_answers_without_the_counts_when_they_cannot_be_read()
    {
        var failing = new FailActivityReads();
        await using var gateway = InProcessGateway.Prepare(Mgmt.FullYaml)
            .WithServices(s => s.AddSingleton<IIncomingGrainCallFilter>(failing));
        await gateway.StartAsync();
        var name = $"claude-{AuthKit.Marker()}.json";
        await gateway.Upload(name, AuthKit.Credential("listed@example.com"));
        Assert.Equal(0, (int?)(await gateway.RequireEntry(name))["success"]);

        failing.Armed = true;
        var entry = await gateway.RequireEntry(name);

        Assert.Equal(name, (string?)entry["name"]);
        Assert.False(entry.ContainsKey("success") || entry.ContainsKey("failed") || entry.ContainsKey("recent_requests"),
            $"counts listed although they could not be read: {entry.ToJsonString()}");
        Assert.Contains("Auth files listed without their attempt counts: the activity grain is down (test)", gateway.Output);

        failing.Armed = false;
        Assert.Equal(0, (int?)(await gateway.RequireEntry(name))["failed"]);
    }

    /// <summary>While armed, every <see cref="ICredentialActivityGrain.Read"/> throws.</summary>
    private sealed class FailActivityReads : IIncomingGrainCallFilter
    {
        public volatile bool Armed;

        public Task Invoke(IIncomingGrainCallContext context) =>
            Armed && context.InterfaceMethod?.Name == nameof(ICredentialActivityGrain.Read)
                ? throw new InvalidOperationException("the activity grain is down (test)")
                : context.Invoke();
    }
}
