using System.Text.Json.Nodes;
using CliProxy.Abstractions.Config;
using CliProxy.Domain.Config.Resources;
using CliProxy.Domain.Config;
using CliProxy.Domain.Errors;

namespace CliProxy.Tests.Grains;

[Grain]
public sealed class ConfigGrainClusterTests(SiloClusterFixture fixture) : IClassFixture<SiloClusterFixture>
{
    private IConfigGrain Config(int silo) => fixture.Silo(silo).GetGrain<IConfigGrain>(ConfigGrainKeys.Default);

    private static ConfigRequest Request(string method, string body, Dictionary<string, string>? query = null) => new(method, body, query ?? []);

    [Fact]
    public async Task Two_hundred_concurrent_list_edits_through_both_silos_lose_no_update()
    {
        var edits = Enumerable.Range(0, 200).Select(i =>
            Config(i % 2).Edit("/api-keys", Request("PATCH", $$"""{"old":"absent-{{i}}","new":"sk-concurrent-{{i}}"}"""))).ToList();
        var results = await Task.WhenAll(edits);
        Assert.All(results, r => Assert.Null(r.Refusal));

        var snapshot = await Config(1).GetSnapshot();
        var keys = ConfigDocument.Load(snapshot.Yaml).Model["api-keys"]!.AsArray().Select(k => (string)k!).ToHashSet();
        for (var i = 0; i < 200; i++) Assert.Contains($"sk-concurrent-{i}", keys);
        var file = await File.ReadAllTextAsync(fixture.ConfigPath);
        Assert.Equal(snapshot.Yaml, file);
        Assert.Contains("- \"sk-team-alpha-0001\"   # alpha squad", file);
        Assert.Contains("x-team-notes: \"rotate provider keys every quarter\"", file);
    }

    [Fact]
    public async Task Concurrent_edits_of_different_keys_all_land()
    {
        var tasks = new List<Task<ConfigEditResult>>();
        for (var i = 0; i < 20; i++)
        {
            tasks.Add(Config(i % 2).Edit("/oauth-excluded-models", Request("PATCH", $$"""{"provider":"p{{i}}","models":["m{{i}}"]}""")));
            tasks.Add(Config((i + 1) % 2).Edit("/ampcode/model-mappings", Request("PATCH", $$"""{"value":[{"from":"f{{i}}","to":"t{{i}}"}]}""")));
        }
        tasks.Add(Config(0).Edit("/max-retry-interval", Request("PUT", """{"value":45}""")));
        Assert.All(await Task.WhenAll(tasks), r => Assert.Null(r.Refusal));
        var doc = ConfigDocument.Load((await Config(0).GetSnapshot()).Yaml);
        var excluded = doc.Model["oauth-excluded-models"]!.AsObject();
        var mappings = doc.Model["ampcode"]!["model-mappings"]!.AsArray().Select(m => (string)m!["from"]!).ToHashSet();
        for (var i = 0; i < 20; i++)
        {
            Assert.Equal($"m{i}", (string)excluded[$"p{i}"]![0]!);
            Assert.Contains($"f{i}", mappings);
        }
        Assert.Equal(TimeSpan.FromSeconds(45), doc.Settings.MaxRetryInterval);
    }

    [Fact]
    public async Task A_refused_edit_in_a_batch_does_not_stop_the_others()
    {
        var bad = Config(0).Edit("/routing/strategy", Request("PUT", """{"value":"random"}"""));
        var good = Config(1).Edit("/ws-auth", Request("PUT", """{"value":true}"""));
        var results = await Task.WhenAll(bad, good);
        Assert.Equal(Refusal.Invalid("invalid strategy"), results[0].Refusal);
        Assert.Null(results[1].Refusal);
        Assert.True(ConfigDocument.Load(await File.ReadAllTextAsync(fixture.ConfigPath)).Settings.WsAuth);
    }

    [Fact]
    public async Task Replace_with_a_stale_if_match_changes_nothing()
    {
        var before = await Config(0).GetSnapshot();
        await Config(1).Edit("/request-log", Request("PUT", """{"value":true}"""));
        var result = await Config(0).ReplaceDocument("debug: true\n", before.ETag);
        Assert.Equal((RefusalKind.PreconditionFailed, "precondition_failed"), (result.Refusal!.Kind, result.Refusal.Error));
        var after = await Config(0).GetSnapshot();
        Assert.NotEqual("debug: true\n", after.Yaml);
        Assert.Equal(after.Yaml, await File.ReadAllTextAsync(fixture.ConfigPath));
    }

    [Fact]
    public async Task A_failed_write_answers_500_and_keeps_the_stored_document()
    {
        var before = await Config(0).GetSnapshot();
        fixture.FailWrites = true;
        ConfigEditResult result;
        try
        {
            result = await Config(1).Edit("/proxy-url", Request("PUT", """{"value":"http://never:1"}"""));
        }
        finally
        {
            fixture.FailWrites = false;
        }
        Assert.Equal(RefusalKind.WriteFailed, result.Refusal?.Kind);
        Assert.StartsWith("failed to save config: ", result.Refusal?.Error);
        var after = await Config(0).GetSnapshot();
        Assert.DoesNotContain("http://never:1", after.Yaml);
        Assert.DoesNotContain("http://never:1", await File.ReadAllTextAsync(fixture.ConfigPath));
    }

    [Fact]
    public async Task Observers_hear_of_every_accepted_change()
    {
        var observer = new RecordingObserver();
        var reference = fixture.Cluster.Client.CreateObjectReference<IConfigObserver>(observer);
        await Config(0).Subscribe(reference);
        var result = await Config(1).Edit("/usage-statistics-enabled", Request("PUT", """{"value":false}"""));
        Assert.Null(result.Refusal);
        var seen = await observer.Next.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(seen.Version >= result.Snapshot!.Version);
        await Config(0).Unsubscribe(reference);
    }

    private sealed class RecordingObserver : IConfigObserver
    {
        public TaskCompletionSource<ConfigSnapshot> Next { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task OnConfigChanged(ConfigSnapshot snapshot)
        {
            Next.TrySetResult(snapshot);
            return Task.CompletedTask;
        }
    }
}
