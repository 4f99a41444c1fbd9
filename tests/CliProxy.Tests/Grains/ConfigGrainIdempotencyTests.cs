using System.Text.Json;
using CliProxy.Abstractions.Config;
using CliProxy.Abstractions.Idempotency;
using CliProxy.Domain.Config;
using CliProxy.Domain.Errors;
using CliProxy.Grains.Config;
using CliProxy.Grains.Hosting;

namespace CliProxy.Tests.Grains;

/// <summary>
/// The config grain's own record of the changes applied under an Idempotency-Key: a change sent again
/// with its key — through any silo, however often, also in the same batch — is applied once.
/// </summary>
[Grain]
public sealed class ConfigGrainIdempotencyTests(SiloClusterFixture fixture) : IClassFixture<SiloClusterFixture>
{
    private IConfigGrain Config(int silo) => fixture.Silo(silo).GetGrain<IConfigGrain>(ConfigGrainKeys.Default);

    private static IdempotencyToken NewToken() => new(Guid.NewGuid().ToString("N"), "fingerprint-" + Guid.NewGuid().ToString("N"));

    private static ConfigRequest Append(string key, IdempotencyToken? token) =>
        new("PATCH", JsonSerializer.Serialize(new { old = "absent-" + key, @new = key }), [], token);

    private async Task<int> Count(string key) =>
        ConfigDocument.Load((await Config(0).GetSnapshot()).Yaml).Model["api-keys"]!.AsArray().Count(k => (string)k! == key);

    [Fact]
    public async Task A_change_sent_again_with_its_key_through_either_silo_is_applied_once()
    {
        var token = NewToken();
        var first = await Config(0).Edit("/api-keys", Append("sk-idem-once", token));
        var again = await Config(1).Edit("/api-keys", Append("sk-idem-once", token));
        Assert.Equal((null, null), (first.Refusal, again.Refusal));
        Assert.Equal(1, await Count("sk-idem-once"));

        // Without a key the same request appends again: nothing changed for requests without the header.
        await Config(1).Edit("/api-keys", Append("sk-idem-once", null));
        Assert.Equal(2, await Count("sk-idem-once"));
    }

    /// <summary>
    /// Regression: a reload (the file watcher asks for one after the grain's own write, and every 2 s) re-read the stored
    /// records, which hold no keys the gateway assigned (those live in memory only), so a resend after a lost answer applied
    /// the change again (a fresh-clone CI run: LostAnswerTests listed the key twice).
    /// </summary>
    [Fact]
    public async Task A_reload_keeps_the_keys_the_gateway_assigned()
    {
        var token = NewToken() with { Assigned = true };
        Assert.Null((await Config(0).Edit("/api-keys", Append("sk-idem-assigned", token))).Refusal);
        await Config(1).Reload();
        Assert.Null((await Config(1).Edit("/api-keys", Append("sk-idem-assigned", token))).Refusal);
        Assert.Equal(1, await Count("sk-idem-assigned"));
    }

    [Fact]
    public async Task Concurrent_copies_of_one_keyed_change_are_applied_once()
    {
        var token = NewToken();
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Config(i % 2).Edit("/api-keys", Append("sk-idem-concurrent", token))));
        Assert.All(results, r => Assert.Null(r.Refusal));
        Assert.Equal(1, await Count("sk-idem-concurrent"));
    }

    [Fact]
    public async Task A_key_sent_with_a_different_request_is_refused_with_422()
    {
        var token = NewToken();
        Assert.Null((await Config(0).Edit("/api-keys", Append("sk-idem-a", token))).Refusal);
        var reused = await Config(1).Edit("/api-keys", Append("sk-idem-b", token with { Fingerprint = "another-request" }));
        Assert.Equal(Refusals.IdempotencyKeyReused, reused.Refusal);
        Assert.Equal(0, await Count("sk-idem-b"));
    }

    [Fact]
    public async Task A_change_that_was_not_stored_leaves_no_key_and_its_retry_applies_it()
    {
        var token = NewToken();
        fixture.FailWrites = true;
        ConfigEditResult failed;
        try
        {
            failed = await Config(0).Edit("/api-keys", Append("sk-idem-retried", token));
        }
        finally
        {
            fixture.FailWrites = false;
        }
        Assert.Equal(RefusalKind.WriteFailed, failed.Refusal?.Kind);
        Assert.Null((await Config(1).Edit("/api-keys", Append("sk-idem-retried", token))).Refusal);
        Assert.Equal(1, await Count("sk-idem-retried"));
    }

    [Fact]
    public async Task The_key_is_stored_with_the_change_ahead_of_the_config_file()
    {
        var token = NewToken();
        Assert.Null((await Config(0).Edit("/api-keys", Append("sk-idem-stored", token))).Refusal);
        var file = JsonDocument.Parse(await File.ReadAllTextAsync(fixture.DataFile(EmbeddedStorageExtensions.AppliedRequestsFileName))).RootElement;
        Assert.Contains(file.GetProperty("Requests").EnumerateArray(), r => r.GetProperty("Key").GetString() == token.Key);
        Assert.Equal(token.Key, file.GetProperty("Added").EnumerateArray().Single().GetString());
        Assert.Equal(ConfigETag.Of(await File.ReadAllTextAsync(fixture.ConfigPath)), file.GetProperty("After").GetString());
    }

    [Fact]
    public async Task A_whole_document_replacement_sent_again_with_its_key_is_not_stored_again()
    {
        var token = NewToken();
        var before = await Config(0).GetSnapshot();
        var yaml = before.Yaml + "x-idempotent-replace: 1\n";
        var first = await Config(0).ReplaceDocument(yaml, before.ETag, token);
        Assert.Null(first.Refusal);
        // The retry's If-Match is stale now; without the key it would answer 412.
        var again = await Config(1).ReplaceDocument(yaml, before.ETag, token);
        Assert.Null(again.Refusal);
        Assert.Equal(first.Snapshot!.Version, again.Snapshot!.Version);
        Assert.Equal(RefusalKind.PreconditionFailed, (await Config(1).ReplaceDocument(yaml, before.ETag)).Refusal?.Kind);
    }

    [Fact]
    public async Task A_key_lapses_after_24_hours()
    {
        var token = NewToken();
        await Config(0).Edit("/api-keys", Append("sk-idem-lapsed", token));
        fixture.Time.Advance(IdempotencyLimits.Retention - TimeSpan.FromMilliseconds(1));
        await Config(1).Edit("/api-keys", Append("sk-idem-lapsed", token));
        Assert.Equal(1, await Count("sk-idem-lapsed"));
        fixture.Time.Advance(TimeSpan.FromMilliseconds(1));
        await Config(1).Edit("/api-keys", Append("sk-idem-lapsed", token));
        Assert.Equal(2, await Count("sk-idem-lapsed"));
    }
}
