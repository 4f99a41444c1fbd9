using System.Text.Json.Nodes;
using CliProxy.Gateway.Usage;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>A gateway with a 64 KiB import limit, shared by the tests of <see cref="UsageTests"/> that need no fresh store.</summary>
public sealed class UsageGateway : IAsyncLifetime
{
    /// <summary>The gateway.</summary>
    public InProcessGateway Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Gateway = await InProcessGateway.StartAsync(Mgmt.FullYaml, new Dictionary<string, string> { ["CLIPROXY_Usage__ImportLimit"] = "65536" });

    /// <inheritdoc />
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary><c>GET /usage</c>, <c>GET /usage/export</c>, <c>POST /usage/import</c>, <c>GET /usage/hours</c> (spec §1.7–§1.9) and the node's recorder.</summary>
[Http]
public sealed class UsageTests(UsageGateway fixture) : IClassFixture<UsageGateway>
{
    private const string Empty = """
        {"total_requests":0,"success_count":0,"failure_count":0,"total_tokens":0,"apis":{},
         "requests_by_day":{},"requests_by_hour":{},"tokens_by_day":{},"tokens_by_hour":{}}
        """;

    private InProcessGateway G => fixture.Gateway;

    [Fact]
    public async Task The_fixture_imports_with_its_totals_reimports_as_skipped_and_survives_export_import_and_restart()
    {
        await using var a = await InProcessGateway.StartAsync(Mgmt.FullYaml);
        Mgmt.AssertJson($$"""{"failed_requests":0,"usage":{{Empty}}}""", (await a.Call("GET", "/usage")).Body);

        var imported = await a.Call("POST", "/usage/import", UsageKit.FixtureText);
        Assert.Equal(200, imported.Status);
        Mgmt.AssertJson("""{"added":7,"failed_requests":1,"skipped":0,"total_requests":7}""", imported.Body);
        var get = await a.Call("GET", "/usage");
        Assert.Equal(1, get.Json!["failed_requests"]!.GetValue<long>());
        Mgmt.AssertJson(UsageKit.FixtureUsageAsStored().ToJsonString(), get.Json["usage"]);

        Mgmt.AssertJson("""{"added":0,"failed_requests":1,"skipped":7,"total_requests":7}""", (await a.Call("POST", "/usage/import", UsageKit.FixtureText)).Body);

        var export = await a.Call("GET", "/usage/export");
        Assert.Equal(200, export.Status);
        Assert.StartsWith("application/json", export.Header("Content-Type"));
        Assert.Null(export.Header("Content-Disposition"));
        var envelope = export.Json!.AsObject();
        Assert.Equal(["version", "exported_at", "usage"], envelope.Select(p => p.Key));
        Assert.Equal(1, envelope["version"]!.GetValue<int>());
        Assert.EndsWith("Z", (string?)envelope["exported_at"]);
        Mgmt.AssertJson(get.Json["usage"]!.ToJsonString(), envelope["usage"]);
        Assert.DoesNotContain("AIzaSyEXAMPLE", export.Body);

        await using (var b = await InProcessGateway.StartAsync(Mgmt.FullYaml))
        {
            Mgmt.AssertJson("""{"added":7,"failed_requests":1,"skipped":0,"total_requests":7}""", (await b.Call("POST", "/usage/import", export.Body)).Body);
            Mgmt.AssertJson(get.Body, (await b.Call("GET", "/usage")).Body);
            Mgmt.AssertJson("""{"added":0,"failed_requests":1,"skipped":7,"total_requests":7}""", (await b.Call("POST", "/usage/import", export.Body)).Body);
        }

        await a.StopAsync();
        await a.StartAsync();
        Assert.Equal(get.Body, (await a.Call("GET", "/usage")).Body);
    }

    [Theory]
    [InlineData("", "invalid json")]
    [InlineData("{\"version\":1,", "invalid json")]
    [InlineData("""{"version":1,"usage":{"total_requests":"7"}}""", "invalid json")]
    [InlineData("""{"version":1,"usage":{"apis":{"k":{"models":{"m":{"details":[{"timestamp":"24 Feb"}]}}}}}}""", "invalid json")]
    [InlineData("""{"version":2,"usage":{}}""", "unsupported version")]
    public async Task Import_refusals(string body, string error)
    {
        var before = (await G.Call("GET", "/usage")).Body;
        Mgmt.AssertError(await G.Call("POST", "/usage/import", body), 400, error);
        Assert.Equal(before, (await G.Call("GET", "/usage")).Body);
    }

    [Fact]
    public async Task An_import_body_over_the_limit_answers_413_and_changes_nothing()
    {
        var before = (await G.Call("GET", "/usage")).Body;
        var big = "{\"version\":1,\"pad\":\"" + new string('x', 70_000) + "\"}";
        var r = await G.Call("POST", "/usage/import", big);
        Mgmt.AssertError(r, 413, "request body too large (limit 65536 bytes)");
        Assert.Equal(before, (await G.Call("GET", "/usage")).Body);
    }

    [Fact]
    public async Task Records_of_the_node_recorder_are_counted_and_the_setting_is_honoured()
    {
        var recorder = G.Services.GetRequiredService<IUsageRecorder>();
        var flusher = G.Services.GetRequiredService<UsageFlusher>();
        var at = new DateTimeOffset(2026, 5, 4, 3, 2, 1, TimeSpan.Zero);
        Assert.Equal(UsageRecordOutcome.Buffered, recorder.Record(UsageKit.Record("sk-http-recorder", "m", at, 100, 20)));
        Assert.Equal(UsageRecordOutcome.Buffered, recorder.Record(UsageKit.Record("sk-http-recorder", "m", at.AddSeconds(1), 1, 2, failed: true)));
        await flusher.FlushAsync();
        var api = (await G.Call("GET", "/usage")).Json!["usage"]!["apis"]!["sk-http-recorder"]!;
        Mgmt.AssertJson("""{"total_requests":2,"total_tokens":123}""", new JsonObject { ["total_requests"] = api["total_requests"]!.DeepClone(), ["total_tokens"] = api["total_tokens"]!.DeepClone() });
        Assert.Equal(["2026-05-04T11:02:01+08:00", "2026-05-04T11:02:02+08:00"], api["models"]!["m"]!["details"]!.AsArray().Select(d => (string?)d!["timestamp"]));

        await G.Ok("PUT", "/usage-statistics-enabled", """{"value":false}""");
        try
        {
            Assert.Equal(UsageRecordOutcome.Disabled, recorder.Record(UsageKit.Record("sk-http-recorder", "m", at.AddSeconds(2))));
            await flusher.FlushAsync();
            Assert.Equal(2, (await G.Call("GET", "/usage")).Json!["usage"]!["apis"]!["sk-http-recorder"]!["total_requests"]!.GetValue<long>());
            // Import still works while recording is off (spec §1.10).
            var r = await G.Call("POST", "/usage/import", """{"usage":{"apis":{"sk-http-import-off":{"models":{"m":{"details":[{"timestamp":"2026-05-04T11:00:00Z"}]}}}}}}""");
            Assert.Equal(1, r.Json!["added"]!.GetValue<long>());
        }
        finally
        {
            await G.Ok("PUT", "/usage-statistics-enabled", """{"value":true}""");
        }
        Assert.True(recorder.Counters.Disabled >= 1);
    }

    [Fact]
    public async Task Hours_answers_the_per_day_hours()
    {
        await G.Call("POST", "/usage/import", """
            {"usage":{"apis":{"sk-hours":{"models":{"m":{"details":[
              {"timestamp":"2027-01-02T05:10:00+02:00","tokens":{"input_tokens":3}},
              {"timestamp":"2027-01-03T05:20:00+02:00","tokens":{"input_tokens":4}}]}}}}}}
            """);
        var hours = await G.GetJson("/usage/hours");
        Mgmt.AssertJson("""{"05":1}""", hours["requests_by_day_hour"]!["2027-01-02"]);
        Mgmt.AssertJson("""{"05":4}""", hours["tokens_by_day_hour"]!["2027-01-03"]);
    }

    [Theory]
    [InlineData("GET", "/usage")]
    [InlineData("GET", "/usage/export")]
    [InlineData("GET", "/usage/hours")]
    [InlineData("POST", "/usage/import")]
    public async Task Usage_routes_need_the_management_key(string method, string route) =>
        Assert.Equal(401, (await G.Call(method, route, "{}", key: null)).Status);
}
