using System.Text.RegularExpressions;
using CliProxy.Abstractions.Config;
using CliProxy.Domain.Config;
using CliProxy.Domain.Errors;

namespace CliProxy.Tests.Grains;

/// <summary>
/// Regression (issue 8 item 2): an exception while applying one edit of a group commit was not
/// caught, so every caller of the batch waited for the 30 s response timeout and the queue could
/// stop. Now the failing caller gets 500, the others of its batch are stored, and the queue goes on.
/// </summary>
[Grain]
public sealed class ConfigGrainFaultTests(SiloClusterFixture fixture) : IClassFixture<SiloClusterFixture>
{
    /// <summary>Far below the 30 s response timeout that a hanging caller would meet.</summary>
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private IConfigGrain Config(int silo) => fixture.Silo(silo).GetGrain<IConfigGrain>(ConfigGrainKeys.Default);

    private static ConfigRequest Request(string method, string body) => new(method, body, []);

    private Task<ConfigEditResult> Exclude(int silo, string provider) =>
        Config(silo).Edit("/oauth-excluded-models", Request("PATCH", $$"""{"provider":"{{provider}}","models":["m"]}"""));

    [Theory]
    [InlineData("edit")]
    [InlineData("apply")]
    [InlineData("render")]
    public async Task An_edit_that_throws_answers_500_to_its_caller_only_and_the_others_of_its_batch_are_stored(string fault)
    {
        // The first good edit is being stored while the rest queue up: they form one batch with the bad one.
        var good = Enumerable.Range(0, 4).Select(i => Exclude(i % 2, $"{fault}-before-{i}")).ToList();
        var bad = Config(1).Edit(FaultyConfigResource.Path, Request("PUT", fault));
        good.AddRange(Enumerable.Range(0, 4).Select(i => Exclude(i % 2, $"{fault}-after-{i}")));

        var refused = await bad.WaitAsync(Prompt);
        Assert.Equal(RefusalKind.WriteFailed, refused.Refusal?.Kind);
        Assert.StartsWith("failed to save config: ", refused.Refusal?.Error);
        Assert.All(await Task.WhenAll(good).WaitAsync(Prompt), r => Assert.Null(r.Refusal));

        var file = await File.ReadAllTextAsync(fixture.ConfigPath);
        var excluded = ConfigDocument.Load(file).Model["oauth-excluded-models"]!.AsObject();
        for (var i = 0; i < 4; i++)
        {
            Assert.True(excluded.ContainsKey($"{fault}-before-{i}"), $"{fault}-before-{i} not stored");
            Assert.True(excluded.ContainsKey($"{fault}-after-{i}"), $"{fault}-after-{i} not stored");
        }
        Assert.DoesNotContain(FaultyConfigResource.PartialKey, file);
        Assert.DoesNotContain("x-fault-render", file);
        Assert.Equal(file, (await Config(0).GetSnapshot()).Yaml);

        var later = await Config(0).Edit(FaultyConfigResource.Path, Request("PUT", "later-" + fault)).WaitAsync(Prompt);
        Assert.Null(later.Refusal);
        Assert.Contains("later-" + fault, await File.ReadAllTextAsync(fixture.ConfigPath));
    }

    [Fact]
    public async Task A_reload_whose_write_fails_answers_and_the_queue_goes_on()
    {
        // A hand edit with a plaintext secret must be stored again (hashed); that write fails.
        var before = await Config(0).GetSnapshot();
        var handEdit = Regex.Replace(before.Yaml, @"(?m)^(\s*secret-key:).*$", "$1 \"hand-edited-plaintext\"");
        await File.WriteAllTextAsync(fixture.ConfigPath, handEdit);
        ConfigSnapshot? duringFailure = null;
        ConfigEditResult? queuedBehind = null;
        await fixture.WhileWritesFail(async () =>
        {
            var reload = Config(1).Reload();
            var edit = Exclude(0, "behind-the-reload");
            duringFailure = await reload.WaitAsync(Prompt);
            queuedBehind = await edit.WaitAsync(Prompt);
        });
        Assert.Equal(before.Yaml, duringFailure!.Yaml);
        Assert.Equal(RefusalKind.WriteFailed, queuedBehind!.Refusal?.Kind);

        // The next pass of the watcher retries: the edit is adopted, its secret hashed and stored.
        var after = await Config(0).Reload().WaitAsync(Prompt);
        Assert.DoesNotContain("hand-edited-plaintext", after.Yaml);
        Assert.Equal(after.Yaml, await File.ReadAllTextAsync(fixture.ConfigPath));
        Assert.True(BCrypt.Net.BCrypt.Verify("hand-edited-plaintext", ConfigDocument.Load(after.Yaml).Settings.RemoteManagement.SecretKey));
        Assert.Null((await Exclude(1, "after-the-reload").WaitAsync(Prompt)).Refusal);
    }
}
