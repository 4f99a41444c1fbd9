using System.Text.RegularExpressions;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>A gateway on full.yaml that remembers the file as it was right after start.</summary>
public sealed class FileEditGateway : IAsyncLifetime
{
    /// <summary>The gateway.</summary>
    public TestGateway Gateway { get; private set; } = null!;

    /// <summary>config.yaml right after start (secret already hashed).</summary>
    public string Initial { get; private set; } = "";

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Gateway = await Mgmt.StartGatewayAsync(Mgmt.FullYaml);
        Initial = Gateway.FileText();
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>
/// What a management save writes (spec §5.2): only the lines of the changed value change; every
/// other line of config.yaml, comments included, stays byte-identical. Each test first puts the
/// file back to its state after start (PUT /config.yaml stores the body verbatim).
/// </summary>
[Http]
public sealed class FileEditTests(FileEditGateway fixture) : IClassFixture<FileEditGateway>, IAsyncLifetime
{
    private TestGateway G => fixture.Gateway;

    public async Task InitializeAsync()
    {
        if (G.FileText() == fixture.Initial) return;
        var r = await G.Call("PUT", "/config.yaml", fixture.Initial);
        Assert.True(r.Status == 200, "reset failed: " + r);
        Assert.Equal(fixture.Initial, G.FileText());
    }

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Patch_of_one_api_key_changes_only_its_line()
    {
        var before = G.FileText();
        await G.Ok("PATCH", "/api-keys", """{"index":1,"value":"sk-team-beta-rotated"}""");
        Mgmt.AssertSingleLineChanged(before, G.FileText(), "sk-team-beta-0002", "sk-team-beta-rotated");
    }

    [Fact]
    public async Task Patch_old_new_of_one_api_key_changes_only_its_line()
    {
        var before = G.FileText();
        await G.Ok("PATCH", "/api-keys", """{"old":"sk-ci-runner-0003","new":"sk-ci-runner-rotated"}""");
        Mgmt.AssertSingleLineChanged(before, G.FileText(), "sk-ci-runner-0003", "sk-ci-runner-rotated");
    }

    [Fact]
    public async Task Delete_of_one_api_key_removes_only_its_line()
    {
        var before = G.FileText();
        await G.Ok("DELETE", "/api-keys?value=sk-team-beta-0002");
        var (removed, added) = Mgmt.LineDiff(before, G.FileText());
        Assert.Empty(added);
        Assert.Single(removed);
        Assert.Contains("sk-team-beta-0002", removed[0]);
    }

    [Fact]
    public async Task Scalar_change_keeps_the_line_comment()
    {
        var before = G.FileText();
        await G.Ok("PUT", "/request-retry", """{"value":5}""");
        var line = Mgmt.AssertSingleLineChanged(before, G.FileText(), "request-retry: 3", "request-retry: 5");
        Assert.StartsWith("request-retry: 5", line);
        Assert.EndsWith("# extra rounds across credentials", line);
    }

    [Fact]
    public async Task Nested_scalar_changes_keep_everything_else()
    {
        var before = G.FileText();
        await G.Ok("PUT", "/routing/strategy", """{"value":"ff"}""");
        var line = Mgmt.AssertSingleLineChanged(before, G.FileText(), "strategy: \"round-robin\"", "fill-first");
        Assert.EndsWith("# or fill-first", line);
        before = G.FileText();
        await G.Ok("PATCH", "/quota-exceeded/switch-preview-model", """{"value":false}""");
        Mgmt.AssertSingleLineChanged(before, G.FileText(), "switch-preview-model: true", "switch-preview-model: false");
        before = G.FileText();
        await G.Ok("PUT", "/ampcode/upstream-url", """{"value":"https://amp.edited.example"}""");
        Mgmt.AssertSingleLineChanged(before, G.FileText(), "upstream-url: \"https://ampcode.com\"", "https://amp.edited.example");
    }

    [Fact]
    public async Task Patch_of_one_provider_field_changes_only_that_line()
    {
        var before = G.FileText();
        await G.Ok("PATCH", "/claude-api-key", """{"match":"sk-ant-api03-FAKE-claude-key-0002","value":{"prefix":"us"}}""");
        Mgmt.AssertSingleLineChanged(before, G.FileText(), "prefix: \"eu\"", "us");
        before = G.FileText();
        await G.Ok("PATCH", "/gemini-api-key", """{"index":0,"value":{"base-url":"https://gl.edited.example"}}""");
        Mgmt.AssertSingleLineChanged(before, G.FileText(), "base-url: \"https://generativelanguage.googleapis.com\"", "https://gl.edited.example");
        before = G.FileText();
        await G.Ok("PATCH", "/openai-compatibility", """{"name":"openrouter","value":{"prefix":"orx"}}""");
        Mgmt.AssertSingleLineChanged(before, G.FileText(), "prefix: \"or\"", "orx");
    }

    [Fact]
    public async Task Delete_of_one_provider_entry_removes_only_its_lines()
    {
        var before = G.FileText();
        await G.Ok("DELETE", "/gemini-api-key?api-key=AIzaSyFAKE-gemini-key-0002");
        var (removed, added) = Mgmt.LineDiff(before, G.FileText());
        Assert.Empty(added);
        Assert.Single(removed);
        Assert.Contains("AIzaSyFAKE-gemini-key-0002", removed[0]);
    }

    [Fact]
    public async Task Removing_a_header_removes_its_line()
    {
        var before = G.FileText();
        await G.Ok("PATCH", "/openai-compatibility", """{"index":0,"value":{"headers":{}}}""");
        var (removed, added) = Mgmt.LineDiff(before, G.FileText());
        Assert.Empty(added);
        Assert.Equal(2, removed.Count);
        Assert.Contains(removed, l => l.Trim() == "headers:");
        Assert.Contains(removed, l => l.Contains("HTTP-Referer"));
    }

    [Fact]
    public async Task Oauth_provider_delete_removes_only_its_lines()
    {
        var before = G.FileText();
        await G.Ok("DELETE", "/oauth-excluded-models?provider=claude");
        var (removed, added) = Mgmt.LineDiff(before, G.FileText());
        Assert.Empty(added);
        Assert.Equal(2, removed.Count);
        Assert.Contains(removed, l => l.Trim() == "claude:");
        Assert.Contains(removed, l => l.Contains("claude-3-5-haiku-20241022"));
    }

    [Fact]
    public async Task Secret_hash_written_on_start_only_changes_the_secret_line()
    {
        var fixtureText = Regex.Replace(Mgmt.FullYaml, @"(?m)^port:.*$", $"port: {G.Port}");
        Mgmt.AssertSingleLineChanged(fixtureText, fixture.Initial, "secret-key: \"mgmt-key-for-tests\"", "secret-key: \"$2");
    }
}
