using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints.AuthFiles;

/// <summary>
/// <c>DELETE /auth-files</c> by name (spec §4.6 with the batch form and the correction of defect 15:
/// only <c>.json</c> names). Each test uses its own file names; delete-all is in
/// <see cref="DeleteAllTests"/>.
/// </summary>
[Http]
public sealed class DeleteTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    private static string Unique(string stem) => $"{stem}-{AuthKit.Marker()}.json";

    private async Task<string> Uploaded(string stem)
    {
        var name = Unique(stem);
        await G.Upload(name, AuthKit.Credential(stem + "@example.com"));
        return name;
    }

    private Task<Reply> DeleteWithBody(string body, string query = "")
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(body));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return G.Send("DELETE", "/auth-files" + query, content);
    }

    private async Task AssertGone(string name)
    {
        Assert.False(File.Exists(G.AuthPath(name)), $"{name} still on disk");
        Assert.Null(await G.Entry(name));
        Mgmt.AssertError(await G.Call("GET", "/auth-files/download?name=" + Uri.EscapeDataString(name)), 404, "file not found");
    }

    private static void AssertBatch(Reply r, params string[] deleted)
    {
        Assert.True(r.Status == 200, $"expected 200, got {r}");
        var body = r.Json!.AsObject();
        Assert.Equal("ok", (string?)body["status"]);
        Assert.Equal(deleted.Length, (int)body["deleted"]!);
        AuthKit.AssertSameItems(deleted, body["files"]!.AsArray().Select(n => (string)n!), "files");
        Assert.Equal(3, body.Count);
    }

    [Fact]
    public async Task Single_delete_removes_file_and_entry()
    {
        var name = await Uploaded("del-one");
        var keep = await Uploaded("del-keep");
        Mgmt.AssertOk(await G.Call("DELETE", "/auth-files?name=" + Uri.EscapeDataString(name)), "delete");
        await AssertGone(name);
        Assert.True(File.Exists(G.AuthPath(keep)));
        Assert.NotNull(await G.Entry(keep));
    }

    [Fact]
    public async Task Single_delete_of_a_missing_file_is_404()
    {
        Mgmt.AssertError(await G.Call("DELETE", "/auth-files?name=" + Unique("del-missing")), 404, "file not found");
        var name = await Uploaded("del-twice");
        Mgmt.AssertOk(await G.Call("DELETE", "/auth-files?name=" + name), "first delete");
        Mgmt.AssertError(await G.Call("DELETE", "/auth-files?name=" + name), 404, "file not found");
    }

    [Theory]
    [InlineData(".txt")]
    [InlineData(".oauth")]
    [InlineData(".json.bak")]
    [InlineData("")]
    public async Task Single_delete_requires_a_json_suffix_and_leaves_other_files(string suffix)
    {
        var name = $"del-other-{AuthKit.Marker()}{suffix}";
        Directory.CreateDirectory(G.AuthDir());
        await File.WriteAllTextAsync(G.AuthPath(name), "keep me");
        Mgmt.AssertError(await G.Call("DELETE", "/auth-files?name=" + Uri.EscapeDataString(name)), 400, "name must end with .json");
        Assert.Equal("keep me", File.ReadAllText(G.AuthPath(name)));
    }

    public static TheoryData<string> InvalidNames => new()
    {
        "../{0}.json", "../../{0}.json", "..\\{0}.json", "sub/{0}.json", "/tmp/{0}.json", "C:{0}.json", "C:\\{0}.json",
        "{0}\u0001.json", "..", "a..{0}.json", "   ",
    };

    [Theory]
    [MemberData(nameof(InvalidNames))]
    public async Task Single_delete_refuses_unsafe_names_and_touches_nothing_outside(string pattern)
    {
        var marker = AuthKit.Marker();
        var victim = Path.Combine(G.Directory, marker + ".json");
        await File.WriteAllTextAsync(victim, "outside");
        var tmpVictim = Path.Combine(Path.GetTempPath(), marker + ".json");
        await File.WriteAllTextAsync(tmpVictim, "outside");
        try
        {
            var name = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, marker);
            Mgmt.AssertError(await G.Call("DELETE", "/auth-files?name=" + Uri.EscapeDataString(name)), 400, "invalid name");
            Assert.True(File.Exists(victim), "a file next to the auth folder was deleted");
            Assert.True(File.Exists(tmpVictim), "a file in the temp folder was deleted");
        }
        finally
        {
            File.Delete(tmpVictim);
        }
    }

    [Fact]
    public async Task Delete_without_a_name_is_refused()
    {
        var keep = await Uploaded("del-noname-keep");
        Mgmt.AssertError(await G.Call("DELETE", "/auth-files"), 400, "invalid name");
        Mgmt.AssertError(await G.Call("DELETE", "/auth-files?name="), 400, "invalid name");
        Mgmt.AssertError(await G.Call("DELETE", "/auth-files?all=false"), 400, "invalid name");
        Mgmt.AssertError(await G.Call("DELETE", "/auth-files?all=yes"), 400, "invalid name");
        Mgmt.AssertError(await DeleteWithBody("""{"names":[]}"""), 400, "invalid name");
        Assert.True(File.Exists(G.AuthPath(keep)));
    }

    [Fact]
    public async Task Repeated_name_parameters_delete_several()
    {
        var a = await Uploaded("del-q-a");
        var b = await Uploaded("del-q-b");
        var r = await G.Call("DELETE", $"/auth-files?name={a}&name={b}");
        AssertBatch(r, a, b);
        await AssertGone(a);
        await AssertGone(b);
    }

    [Fact]
    public async Task Json_body_with_names_deletes_several()
    {
        var a = await Uploaded("del-b-a");
        var b = await Uploaded("del-b-b");
        var c = await Uploaded("del-b-c");
        AssertBatch(await DeleteWithBody(new JsonObject { ["names"] = new JsonArray(a, b, c) }.ToJsonString()), a, b, c);
        await AssertGone(a);
        await AssertGone(b);
        await AssertGone(c);
    }

    [Fact]
    public async Task Json_array_body_deletes_several()
    {
        var a = await Uploaded("del-arr-a");
        var b = await Uploaded("del-arr-b");
        AssertBatch(await DeleteWithBody(new JsonArray(a, b).ToJsonString()), a, b);
        await AssertGone(a);
        await AssertGone(b);
    }

    [Fact]
    public async Task Json_body_with_one_name_is_a_single_delete()
    {
        var a = await Uploaded("del-body-one");
        Mgmt.AssertOk(await DeleteWithBody(new JsonObject { ["names"] = new JsonArray(a) }.ToJsonString()), "delete one by body");
        await AssertGone(a);
    }

    [Fact]
    public async Task Batch_with_a_missing_name_is_a_207_partial()
    {
        var a = await Uploaded("del-p-a");
        var missing = Unique("del-p-missing");
        var r = await G.Call("DELETE", $"/auth-files?name={a}&name={missing}");
        Assert.True(r.Status == 207, $"expected 207, got {r}");
        var body = r.Json!.AsObject();
        Assert.Equal("partial", (string?)body["status"]);
        Assert.Equal(1, (int)body["deleted"]!);
        Assert.Equal([a], body["files"]!.AsArray().Select(n => (string)n!));
        var failed = body["failed"]!.AsArray();
        Assert.Single(failed);
        Assert.Equal(missing, (string?)failed[0]!["name"]);
        Assert.Contains("not found", (string?)failed[0]!["error"] ?? "");
        await AssertGone(a);
    }

    [Fact]
    public async Task Batch_with_an_unsafe_name_deletes_only_the_valid_ones()
    {
        var a = await Uploaded("del-u-a");
        var marker = AuthKit.Marker();
        var victim = Path.Combine(G.Directory, marker + ".json");
        await File.WriteAllTextAsync(victim, "outside");
        var r = await DeleteWithBody(new JsonArray(a, "../" + marker + ".json").ToJsonString());
        Assert.True(r.Status == 207, $"expected 207, got {r}");
        var body = r.Json!.AsObject();
        Assert.Equal("partial", (string?)body["status"]);
        Assert.Equal(1, (int)body["deleted"]!);
        Assert.Equal([a], body["files"]!.AsArray().Select(n => (string)n!));
        Assert.Equal("invalid name", (string?)body["failed"]![0]!["error"]);
        Assert.True(File.Exists(victim));
        await AssertGone(a);
    }
}

/// <summary><c>DELETE /auth-files?all=…</c> on a gateway of its own (it empties the auth folder).</summary>
[Http]
public sealed class DeleteAllTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    [Theory]
    [InlineData("true")]
    [InlineData("1")]
    [InlineData("*")]
    public async Task Delete_all_removes_every_json_file(string all)
    {
        var m = AuthKit.Marker();
        var names = new[] { $"all-a-{m}.json", $"all-b-{m}.json", $"All-C-{m}.JSON" };
        foreach (var name in names) await G.Upload(name, AuthKit.Credential("all@example.com"));
        var other = $"keep-{m}.txt";
        await File.WriteAllTextAsync(G.AuthPath(other), "not a credential");
        var expected = (await G.ListNames()).Count;
        Assert.True(expected >= 3, "uploads not listed");

        var r = await G.Call("DELETE", "/auth-files?all=" + Uri.EscapeDataString(all));
        Assert.True(r.Status == 200, $"expected 200, got {r}");
        Mgmt.AssertJson($$"""{"status":"ok","deleted":{{expected}}}""", r.Body);
        Assert.DoesNotContain(Directory.EnumerateFiles(G.AuthDir()), f => f.EndsWith(".json", StringComparison.OrdinalIgnoreCase));
        Assert.Equal("not a credential", File.ReadAllText(G.AuthPath(other)));
        Assert.Empty(await G.ListFiles());
    }

    [Fact]
    public async Task Delete_all_wins_over_name()
    {
        var m = AuthKit.Marker();
        var a = $"allname-a-{m}.json";
        var b = $"allname-b-{m}.json";
        await G.Upload(a, AuthKit.Credential("a@example.com"));
        await G.Upload(b, AuthKit.Credential("b@example.com"));
        var count = (await G.ListNames()).Count;
        var r = await G.Call("DELETE", $"/auth-files?all=true&name={a}");
        Mgmt.AssertJson($$"""{"status":"ok","deleted":{{count}}}""", r.Body);
        Assert.Empty(await G.ListFiles());
        Assert.False(File.Exists(G.AuthPath(b)));
    }
}
