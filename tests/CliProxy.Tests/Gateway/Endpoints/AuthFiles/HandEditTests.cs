using System.Text;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints.AuthFiles;

/// <summary>
/// Files added, changed or removed by hand in the auth folder of a running gateway are picked up
/// (spec §1.1, §1.3) within a few seconds. Each test uses its own file names.
/// </summary>
[Http]
public sealed class HandEditTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    private async Task<byte[]> Download(string name)
    {
        var r = await G.Send("GET", "/auth-files/download?name=" + Uri.EscapeDataString(name), null);
        Assert.True(r.Status == 200, $"download {name}: {r}");
        return await r.Response.Content.ReadAsByteArrayAsync();
    }

    [Fact]
    public async Task A_file_added_by_hand_appears_and_downloads_verbatim()
    {
        var name = $"hand-add-{AuthKit.Marker()}.json";
        var bytes = AuthKit.FixtureBytes("gemini-example.json");
        Directory.CreateDirectory(G.AuthDir());
        await File.WriteAllBytesAsync(G.AuthPath(name), bytes);

        await G.UntilEntry(name, e => e is not null, $"{name} listed after it was written by hand");
        var e = await G.RequireEntry(name);
        Assert.Equal("gemini-cli", (string?)e["type"]);
        Assert.Equal("user@example.com", (string?)e["email"]);
        Assert.Equal(AuthKit.AuthIndexOf(name), (string?)e["auth_index"]);
        Assert.Equal(bytes.Length, (long)e["size"]!);
        Assert.Equal(bytes, await Download(name));
        Assert.Equal(bytes, G.DiskBytes(name));
    }

    [Fact]
    public async Task A_file_changed_by_hand_is_reloaded()
    {
        var name = $"hand-change-{AuthKit.Marker()}.json";
        await G.Upload(name, AuthKit.Credential("before@example.com"));
        var index = (string?)(await G.RequireEntry(name))["auth_index"];

        var changed = """{"type":"codex","email":"after@example.com","disabled":true,"prefix":"hand"}""";
        await File.WriteAllTextAsync(G.AuthPath(name), changed);

        await G.UntilEntry(name, e => (string?)e?["email"] == "after@example.com", $"{name} shows the email written by hand");
        var e = await G.RequireEntry(name);
        Assert.Equal("codex", (string?)e["type"]);
        Assert.True((bool)e["disabled"]!);
        Assert.Equal("disabled", (string?)e["status"]);
        Assert.Equal("hand", (string?)e["prefix"]);
        Assert.Equal(index, (string?)e["auth_index"]);
        Assert.Equal(Encoding.UTF8.GetBytes(changed), await Download(name));
    }

    [Fact]
    public async Task A_file_added_and_later_removed_by_hand_disappears()
    {
        var name = $"hand-add-remove-{AuthKit.Marker()}.json";
        Directory.CreateDirectory(G.AuthDir());
        await File.WriteAllTextAsync(G.AuthPath(name), AuthKit.Credential("gone@example.com"));
        await G.UntilEntry(name, e => e is not null, $"{name} listed after it was written by hand");
        File.Delete(G.AuthPath(name));

        await G.UntilEntry(name, e => e is null, $"{name} no longer listed after it was deleted by hand");
        Mgmt.AssertError(await G.Call("GET", "/auth-files/download?name=" + Uri.EscapeDataString(name)), 404, "file not found");
    }

    [Fact]
    public async Task An_uploaded_file_removed_by_hand_disappears()
    {
        var name = $"hand-remove-{AuthKit.Marker()}.json";
        await G.Upload(name, AuthKit.Credential("gone@example.com"));
        File.Delete(G.AuthPath(name));

        await G.UntilEntry(name, e => e is null, $"{name} no longer listed after it was deleted by hand");
        var r = await G.Send("GET", "/auth-files/download?name=" + Uri.EscapeDataString(name), null);
        Mgmt.AssertError(r, 404, "file not found");
        Mgmt.AssertError(await G.Call("GET", "/auth-files/models?name=" + Uri.EscapeDataString(name)), 404, "auth file not found");
    }

    [Fact]
    public async Task A_file_added_by_hand_that_is_not_json_is_ignored()
    {
        var marker = AuthKit.Marker();
        var broken = $"hand-broken-{marker}.json";
        var good = $"hand-good-{marker}.json";
        Directory.CreateDirectory(G.AuthDir());
        await File.WriteAllTextAsync(G.AuthPath(broken), "this is not json");
        await File.WriteAllTextAsync(G.AuthPath(good), AuthKit.Credential("good@example.com"));

        // The good file was written after the broken one: once it is listed, the broken one has been seen too.
        await G.UntilEntry(good, e => e is not null, $"{good} listed");
        Assert.DoesNotContain(broken, await G.ListNames());
        Assert.Equal("this is not json", File.ReadAllText(G.AuthPath(broken)));
    }
}
