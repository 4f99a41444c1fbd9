using CliProxy.Abstractions.Config;
using CliProxy.Domain.Config;
using CliProxy.Domain.Errors;

namespace CliProxy.Tests.Grains;

/// <summary>The config grain and hand edits of its file (embedded storage).</summary>
[Grain]
public sealed class ConfigGrainFileTests(SiloClusterFixture fixture) : IClassFixture<SiloClusterFixture>
{
    private IConfigGrain Config(int silo) => fixture.Silo(silo).GetGrain<IConfigGrain>(ConfigGrainKeys.Default);

    [Fact]
    public async Task Hand_edits_are_adopted_and_invalid_ones_ignored()
    {
        var original = await Config(0).GetSnapshot();
        var edited = original.Yaml.Replace("request-retry: 3 ", "request-retry: 9 ");
        await File.WriteAllTextAsync(fixture.ConfigPath, edited);
        var reloaded = await Config(1).Reload();
        Assert.Equal(edited, reloaded.Yaml);
        Assert.True(reloaded.Version > original.Version);

        await File.WriteAllTextAsync(fixture.ConfigPath, edited + "debug: [unclosed\n");
        var kept = await Config(0).Reload();
        Assert.Equal(edited, kept.Yaml);

        // The next management write starts from the last good document.
        var result = await Config(1).Edit("/debug", new ConfigRequest("PUT", """{"value":true}""", []));
        Assert.Null(result.Refusal);
        var file = await File.ReadAllTextAsync(fixture.ConfigPath);
        Assert.DoesNotContain("[unclosed", file);
        Assert.True(ConfigDocument.Load(file).Settings.Debug);
        Assert.Equal(9, ConfigDocument.Load(file).Settings.RequestRetry);
    }

    [Fact]
    public async Task A_write_racing_an_unseen_hand_edit_keeps_both()
    {
        var current = await Config(0).GetSnapshot();
        await File.WriteAllTextAsync(fixture.ConfigPath, current.Yaml + "x-hand-edit: yes\n");
        var result = await Config(1).Edit("/api-keys", new ConfigRequest("PATCH", """{"old":"none","new":"sk-after-hand-edit"}""", []));
        Assert.Null(result.Refusal);
        var file = await File.ReadAllTextAsync(fixture.ConfigPath);
        Assert.Contains("x-hand-edit: yes", file);
        Assert.Contains("sk-after-hand-edit", file);
    }

    [Fact]
    public async Task Whole_document_replacement_validates_and_hashes_the_secret()
    {
        var empty = await Config(0).ReplaceDocument("# nothing here\n", null);
        Assert.Equal(Refusals.EmptyDocument, empty.Refusal);
        var broken = await Config(0).ReplaceDocument("debug: true\ndebug: false\n", null);
        Assert.Equal((RefusalKind.Invalid, "invalid_yaml"), (broken.Refusal!.Kind, broken.Refusal.Error));
        var tooLong = await Config(0).ReplaceDocument($"remote-management:\n  secret-key: {new string('x', 73)}\n", null);
        Assert.Equal((RefusalKind.Unprocessable, "failed to hash remote management key: bcrypt: password length exceeds 72 bytes"), (tooLong.Refusal!.Kind, tooLong.Refusal.Message));

        var current = await Config(1).GetSnapshot();
        var replaced = await Config(1).ReplaceDocument(current.Yaml.Replace("secret-key: \"$", "secret-key: \"plain-$"), current.ETag);
        Assert.Null(replaced.Refusal);
        var stored = ConfigDocument.Load(await File.ReadAllTextAsync(fixture.ConfigPath));
        Assert.True(SecretKeyHashing.IsBcryptHash(stored.Settings.RemoteManagement.SecretKey));
        Assert.True(BCrypt.Net.BCrypt.Verify("plain-" + ConfigDocument.Load(current.Yaml).Settings.RemoteManagement.SecretKey, stored.Settings.RemoteManagement.SecretKey));
    }
}
