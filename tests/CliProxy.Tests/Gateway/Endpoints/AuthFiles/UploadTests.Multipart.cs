namespace CliProxy.Tests.Gateway.Endpoints.AuthFiles;

/// <summary>Multipart uploads: one or several files, partial success (207), refusals and the size limit.</summary>
public sealed partial class UploadTests
{
    [Theory]
    [InlineData("file")]
    [InlineData("credential")]
    [InlineData("upload[]")]
    public async Task Multipart_single_file_under_any_field_name_is_stored(string field)
    {
        var name = Unique("mp-single");
        var bytes = AuthKit.FixtureBytes("kimi-example.json");
        var r = await G.UploadMultipart(new FilePart(field, name, bytes));
        Mgmt.AssertOk(r, "multipart upload");
        AssertStored(name, bytes);
        await AssertDownload(name, bytes);
        Assert.Equal("kimi", (string?)(await G.RequireEntry(name))["type"]);
    }

    [Fact]
    public async Task Multipart_with_several_files_stores_them_all()
    {
        var names = new[] { Unique("mp-a"), Unique("mp-b"), Unique("mp-c") };
        var contents = new[] { AuthKit.FixtureBytes("claude-example.json"), AuthKit.FixtureBytes("gemini-example.json"), AuthKit.FixtureBytes("antigravity-example.json") };
        var r = await G.UploadMultipart(new FilePart("file", names[0], contents[0]), new FilePart("file2", names[1], contents[1]), new FilePart("other", names[2], contents[2]));
        Assert.True(r.Status == 200, $"expected 200, got {r}");
        var body = r.Json!.AsObject();
        Assert.Equal("ok", (string?)body["status"]);
        Assert.Equal(3, (int)body["uploaded"]!);
        AuthKit.AssertSameItems(names, body["files"]!.AsArray().Select(n => (string)n!), "files");
        Assert.Equal(3, body.Count);
        for (var i = 0; i < names.Length; i++) AssertStored(names[i], contents[i]);
        Assert.Equal("gemini-cli", (string?)(await G.RequireEntry(names[1]))["type"]);
    }

    [Fact]
    public async Task Multipart_with_some_invalid_files_is_a_207_partial_and_keeps_existing_files()
    {
        var good = Unique("mp-good");
        var existing = Unique("mp-existing");
        var notJson = $"mp-notes-{AuthKit.Marker()}.txt";
        var kept = AuthKit.FixtureBytes("iflow-example.json");
        Mgmt.AssertOk(await G.UploadRaw(existing, kept), "existing upload");
        var goodBytes = AuthKit.FixtureBytes("claude-example.json");

        var r = await G.UploadMultipart(
            new FilePart("a", good, goodBytes),
            FilePart.Text("b", existing, "{\"type\":\"codex\""),
            FilePart.Text("c", notJson, AuthKit.Credential("txt@example.com")));
        Assert.True(r.Status == 207, $"expected 207, got {r}");
        var body = r.Json!.AsObject();
        Assert.Equal("partial", (string?)body["status"]);
        Assert.Equal(1, (int)body["uploaded"]!);
        Assert.Equal([good], body["files"]!.AsArray().Select(n => (string)n!));
        var failed = body["failed"]!.AsArray().Select(f => f!.AsObject()).ToDictionary(f => (string)f["name"]!, f => (string)f["error"]!);
        AuthKit.AssertSameItems([existing, notJson], failed.Keys, "failed names");
        Assert.StartsWith("invalid auth file: ", failed[existing]);
        Assert.Equal("file must be .json", failed[notJson]);

        AssertStored(good, goodBytes);
        AssertStored(existing, kept);
        Assert.Equal("iflow", (string?)(await G.RequireEntry(existing))["type"]);
        Assert.False(File.Exists(G.AuthPath(notJson)));
    }

    [Fact]
    public async Task Multipart_without_a_file_part_is_refused()
    {
        var before = AuthKit.Tree(G.Directory);
        var r = await G.Send("POST", "/auth-files", AuthKit.Multipart([], [("name", "field-only.json"), ("note", "no file here")]));
        Mgmt.AssertError(r, 400, "no files uploaded");
        AuthKit.AssertSameTree(before, G.Directory);
    }

    [Fact]
    public async Task Multipart_single_file_not_ending_in_json_is_refused()
    {
        var name = $"mp-single-{AuthKit.Marker()}.txt";
        Mgmt.AssertError(await G.UploadMultipart(FilePart.Text("file", name, AuthKit.Credential("m@example.com"))), 400, "file must be .json");
        Assert.False(File.Exists(G.AuthPath(name)));
    }

    [Fact]
    public async Task Multipart_single_invalid_json_is_refused_and_leaves_the_existing_file_byte_identical()
    {
        var name = Unique("mp-keep");
        var good = AuthKit.FixtureBytes("codex-example.json");
        Mgmt.AssertOk(await G.UploadMultipart(new FilePart("file", name, good)), "good upload");
        var r = await G.UploadMultipart(FilePart.Text("file", name, "[\"not\",\"an\",\"object\"]"));
        Assert.True(r.Status == 400, $"expected 400, got {r}");
        Assert.StartsWith("invalid auth file: ", (string?)r.Json!["error"]);
        AssertStored(name, good);
        await AssertDownload(name, good);
    }

    [Fact]
    public async Task Multipart_file_over_one_mebibyte_is_refused_with_413()
    {
        var name = Unique("mp-big");
        var big = "{\"type\":\"claude\",\"pad\":\"" + new string('y', 1024 * 1024 + 16) + "\"}";
        var r = await G.UploadMultipart(FilePart.Text("file", name, big));
        Assert.True(r.Status == 413, $"expected 413, got {r.Status} {r.Body[..Math.Min(200, r.Body.Length)]}");
        Assert.False(File.Exists(G.AuthPath(name)));
    }
}
