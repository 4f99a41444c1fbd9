using CliProxy.Abstractions.AuthFiles;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Errors;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Grains;

/// <summary>Credentials on a 2-silo cluster with the embedded file storage.</summary>
[Grain]
public sealed class AuthFileGrainTests(SiloClusterFixture fixture) : IClassFixture<SiloClusterFixture>
{
    private IAuthFileGrain File(int silo, string name) => fixture.Silo(silo).GetGrain<IAuthFileGrain>(AuthFileKeys.For(name));

    private IAuthFileIndexGrain Index(int silo) => fixture.Silo(silo).GetGrain<IAuthFileIndexGrain>(AuthFileKeys.Index);

    [Fact]
    public async Task Upload_through_one_silo_list_disable_and_delete_through_the_other()
    {
        var claude = TestPaths.Fixture("auth-files/claude-example.json");
        Assert.Null((await File(0, "claude-user@example.com.json").Replace(claude)).Refusal);
        Assert.Equal(claude, await System.IO.File.ReadAllTextAsync(Path.Combine(fixture.AuthDirectory, "claude-user@example.com.json")));

        var listed = (await Index(1).List()).Single(s => s.Name == "claude-user@example.com.json");
        Assert.Equal(("claude", "user@example.com", "e59d1dab60a10e70"), (listed.Provider, listed.Email, listed.AuthIndex[..16]));

        Assert.Null((await File(1, "claude-user@example.com.json").SetDisabled(true)).Refusal);
        var disabled = (await Index(0).Find("claude-user@example.com.json"))!;
        Assert.True(disabled.Disabled);
        Assert.Equal("disabled via management API", disabled.StatusMessage);

        Assert.Null((await File(1, "claude-user@example.com.json").Delete()).Refusal);
        Assert.Null(await Index(0).Find("claude-user@example.com.json"));
        Assert.False(System.IO.File.Exists(Path.Combine(fixture.AuthDirectory, "claude-user@example.com.json")));
        Assert.Null(await File(0, "claude-user@example.com.json").Get());
    }

    [Fact]
    public async Task A_background_merge_keeps_a_disable_made_meanwhile()
    {
        const string name = "codex-bg@example.com.json";
        await File(0, name).Replace(TestPaths.Fixture("auth-files/codex-example.json"));
        // The refresh started before the disable, but its result is applied to the state as it is now.
        var disable = File(1, name).SetDisabled(true);
        var refresh = File(0, name).MergeValues(new() { ["access_token"] = "\"refreshed-token\"" });
        await Task.WhenAll(disable, refresh);
        var content = (await File(1, name).Get())!;
        Assert.True(content.Summary.Disabled);
        Assert.Contains("\"access_token\":\"refreshed-token\"", content.Json);
    }

    [Fact]
    public async Task A_bad_upload_over_a_good_file_leaves_it_byte_identical()
    {
        const string name = "qwen-keep.json";
        var good = TestPaths.Fixture("auth-files/qwen-example.json");
        await File(0, name).Replace(good);
        var bad = await File(1, name).Replace("{\"type\":\"qwen\"");
        Assert.Equal(RefusalKind.Invalid, bad.Refusal?.Kind);
        Assert.StartsWith("invalid auth file: ", bad.Refusal?.Error);
        Assert.Equal(good, await System.IO.File.ReadAllTextAsync(Path.Combine(fixture.AuthDirectory, name)));
        Assert.Equal(RefusalKind.Invalid, (await File(1, name).Replace("[1,2]")).Refusal?.Kind);
        Assert.Equal(good, (await File(0, name).Get())!.Json);
    }

    [Fact]
    public async Task Field_edits_are_persisted_and_validated()
    {
        const string name = "gemini-fields.json";
        await File(0, name).Replace(TestPaths.Fixture("auth-files/gemini-example.json"));
        Assert.Equal(RefusalKind.Invalid, (await File(1, name).PatchFields(new AuthFieldsPatch("a/b", null, null, null))).Refusal?.Kind);
        var ok = await File(1, name).PatchFields(new AuthFieldsPatch(" /team/ ", "socks5://p:1080", 7, " shared "));
        Assert.Null(ok.Refusal);
        var text = await System.IO.File.ReadAllTextAsync(Path.Combine(fixture.AuthDirectory, name));
        Assert.Contains("\"prefix\": \"team\"", text);
        Assert.Contains("\"priority\": 7", text);
        Assert.Contains("\"note\": \"shared\"", text);
        var summary = (await Index(0).Find(name))!;
        Assert.Equal(("team", "socks5://p:1080", 7L, "shared", "gemini-cli"), (summary.Prefix, summary.ProxyUrl, summary.Priority!.Value, summary.Note, summary.Provider));
        await File(0, name).PatchFields(new AuthFieldsPatch("", null, 0, null));
        text = await System.IO.File.ReadAllTextAsync(Path.Combine(fixture.AuthDirectory, name));
        Assert.DoesNotContain("\"prefix\"", text);
        Assert.DoesNotContain("\"priority\"", text);
    }
}
