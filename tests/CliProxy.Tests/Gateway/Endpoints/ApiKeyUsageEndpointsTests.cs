using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Domain.Proxy.Activity;
using CliProxy.Tests.Gateway.Proxy;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// <c>GET /api-key-usage</c> through a gateway in front of a fake upstream: the attempts the proxy made, per provider and
/// <c>base-url|api-key</c>, as totals and in the current bucket of the 20-bucket window; keys never used listed with zeros.
/// An auth file's attempts are in its <c>GET /auth-files</c> entry, in the same shape.
/// </summary>
[Http]
public sealed class ApiKeyUsageEndpointsTests(ProxyGateway fixture) : IClassFixture<ProxyGateway>
{
    private async Task<int> ChatAsync(string model)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent(new JsonObject { ["model"] = model, ["messages"] = new JsonArray() }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new("Bearer", ProxyGateway.ClientKey);
        return (int)(await fixture.Gateway.Client.SendAsync(request)).StatusCode;
    }

    [Fact]
    public async Task Attempts_are_counted_per_provider_and_key_with_their_recent_buckets()
    {
        Assert.Equal(200, await ChatAsync("c-model"));
        Assert.Equal(200, await ChatAsync("c-model"));
        Assert.Equal(400, await ChatAsync("cb-model")); // the upstream's 400: one failed attempt, answered at once

        var ok = fixture.Upstream.BaseUrl + "|k-ok";
        var bad = fixture.Upstream.BaseUrl + "|k-400";
        JsonNode usage = null!;
        await Mgmt.Eventually(async () =>
        {
            usage = await fixture.Gateway.GetJson("/api-key-usage");
            return (long?)usage["counted"]?[ok]?["success"] == 2 && (long?)usage["counted-bad"]?[bad]?["failed"] == 1;
        }, TimeSpan.FromSeconds(10), "the node's batch in the cluster's counts");

        var counted = usage["counted"]![ok]!;
        Assert.Equal(0, (long)counted["failed"]!);
        var recent = counted["recent_requests"]!.AsArray();
        Assert.Equal(RecentRequestWindow.BucketCount, recent.Count);
        Assert.Equal((2L, 0L), ((long)recent[^1]!["success"]!, (long)recent[^1]!["failed"]!)); // the current bucket, last
        Assert.Equal(0, recent.Take(recent.Count - 1).Sum(b => (long)b!["success"]! + (long)b["failed"]!));
        Assert.Matches(@"^\d\d:\d\d-\d\d:\d\d$", (string)recent[^1]!["time"]!);
        Assert.Equal((0L, 1L), ((long)usage["counted-bad"]![bad]!["success"]!, (long)usage["counted-bad"]![bad]!["failed"]!));
        // A key no attempt used yet is listed with zeros, under its provider's name.
        var quota = usage["quota"]![fixture.Upstream.BaseUrl + "|k-429"]!;
        Assert.Equal((0L, 0L), ((long)quota["success"]!, (long)quota["failed"]!));
        Assert.Equal(RecentRequestWindow.BucketCount, quota["recent_requests"]!.AsArray().Count);
    }

    [Fact]
    public async Task An_auth_files_attempts_are_in_its_entry_of_the_auth_file_list()
    {
        Assert.Equal(200, await ChatAsync("qwen3-coder-plus")); // served by the fixture's Qwen auth file

        JsonNode entry = null!;
        await Mgmt.Eventually(async () =>
        {
            entry = (await fixture.Gateway.GetJson("/auth-files?name=" + ProxyGateway.QwenFile))["files"]![0]!;
            return (long?)entry["success"] == 1;
        }, TimeSpan.FromSeconds(10), "the node's batch in the cluster's counts");

        Assert.Equal(0, (long)entry["failed"]!);
        var recent = entry["recent_requests"]!.AsArray();
        Assert.Equal(RecentRequestWindow.BucketCount, recent.Count);
        Assert.Equal(1, (long)recent[^1]!["success"]!);
        Assert.Equal(ProxyGateway.QwenFile, (string?)entry["name"]); // the entry's own fields are unchanged
    }
}
