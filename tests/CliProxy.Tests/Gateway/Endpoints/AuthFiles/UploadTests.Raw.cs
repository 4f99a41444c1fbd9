using System.Text;

namespace CliProxy.Tests.Gateway.Endpoints.AuthFiles;

/// <summary>Raw-body uploads (<c>POST /auth-files?name=</c>): stored byte-for-byte, validated, size-limited.</summary>
public sealed partial class UploadTests
{
    [Fact]
    public async Task Raw_upload_is_stored_byte_for_byte_with_mode_0600_and_listed()
    {
        var name = Unique("raw-claude");
        // Indented, CRLF line ends, non-ASCII text and a key order that is not sorted: all kept.
        var bytes = Encoding.UTF8.GetBytes("{\r\n    \"type\": \"claude\",\r\n    \"email\": \"raw@example.com\",\r\n    \"note\": \"Grüße – 日本語\",\r\n    \"access_token\": \"FAKE\"\r\n}\r\n");
        var r = await G.UploadRaw(name, bytes);
        Mgmt.AssertOk(r, "raw upload");
        AssertStored(name, bytes);
        await AssertDownload(name, bytes);

        var e = await G.RequireEntry(name);
        Assert.Equal(AuthKit.AuthIndexOf(name), (string?)e["auth_index"]);
        Assert.Equal("claude", (string?)e["type"]);
        Assert.Equal("raw@example.com", (string?)e["email"]);
        Assert.Equal("raw@example.com", (string?)e["label"]);
        Assert.Equal("active", (string?)e["status"]);
        Assert.False((bool)e["disabled"]!);
        Assert.Equal(bytes.Length, (long)e["size"]!);
        Assert.Equal(G.AuthPath(name), (string?)e["path"]);
        Assert.Equal("file", (string?)e["source"]);
        AuthKit.AssertTime(e["created_at"], "created_at");
        AuthKit.AssertTime(e["updated_at"], "updated_at");
        AuthKit.AssertTime(e["modtime"], "modtime");
    }

    [Theory]
    [InlineData("application/json")]
    [InlineData("text/plain")]
    [InlineData("application/octet-stream")]
    [InlineData("application/x-www-form-urlencoded")]
    [InlineData(null)]
    public async Task Any_content_type_other_than_multipart_is_a_raw_upload(string? contentType)
    {
        var name = Unique("raw-ct");
        var bytes = AuthKit.FixtureBytes("codex-example.json");
        Mgmt.AssertOk(await G.UploadRaw(name, bytes, contentType), $"raw upload as {contentType ?? "(none)"}");
        AssertStored(name, bytes);
        var e = await G.RequireEntry(name);
        Assert.Equal("codex", (string?)e["type"]);
        Assert.Equal("plus", (string?)e["id_token"]?["plan_type"]);
    }

    [Fact]
    public async Task Uploaded_disabled_flag_is_honoured_and_kept_in_the_file()
    {
        var name = Unique("raw-disabled");
        var json = """{"type":"qwen","email":"off@example.com","disabled":true}""";
        await G.Upload(name, json);
        AssertStored(name, Encoding.UTF8.GetBytes(json));
        var e = await G.RequireEntry(name);
        Assert.True((bool)e["disabled"]!);
        Assert.Equal("disabled", (string?)e["status"]);
    }

    [Fact]
    public async Task Re_upload_replaces_the_content_and_keeps_the_auth_index()
    {
        var name = Unique("raw-replace");
        await G.Upload(name, AuthKit.Credential("one@example.com"));
        var first = await G.RequireEntry(name);
        var second = AuthKit.Credential("two@example.com", "iflow");
        await G.Upload(name, second);
        AssertStored(name, Encoding.UTF8.GetBytes(second));
        var e = await G.RequireEntry(name);
        Assert.Equal("two@example.com", (string?)e["email"]);
        Assert.Equal("iflow", (string?)e["type"]);
        Assert.Equal((string?)first["auth_index"], (string?)e["auth_index"]);
        Assert.Single(await G.ListNames(), n => n == name);
    }

    [Theory]
    [InlineData("""{"email":"notype@example.com"}""", "unknown")]
    [InlineData("""{"type":"Gemini","email":"g@example.com"}""", "gemini-cli")]
    [InlineData("""{"type":"CODEX","email":"c@example.com"}""", "codex")]
    [InlineData("""{"type":"gemini-cli","email":"gc@example.com"}""", "gemini-cli")]
    public async Task Uploaded_type_is_normalised(string json, string type)
    {
        var name = Unique("raw-type");
        await G.Upload(name, json);
        var e = await G.RequireEntry(name);
        Assert.Equal(type, (string?)e["type"]);
        Assert.Equal(type, (string?)e["provider"]);
    }

    [Fact]
    public async Task Json_suffix_is_case_insensitive()
    {
        var name = $"Upper-Suffix-{AuthKit.Marker()}.JSON";
        await G.Upload(name, AuthKit.Credential("upper@example.com"));
        Assert.NotNull(await G.Entry(name));
        AssertStored(name, G.DiskBytes(name)!);
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("creds.json.bak")]
    [InlineData("creds")]
    [InlineData("creds.jso")]
    public async Task Raw_name_without_json_suffix_is_refused(string name)
    {
        var before = AuthKit.Tree(G.Directory);
        Mgmt.AssertError(await G.UploadRaw(name, AuthKit.Credential("x@example.com")), 400, "name must end with .json");
        AuthKit.AssertSameTree(before, G.Directory);
    }

    [Theory]
    [InlineData("{\"type\":\"qwen\"")]
    [InlineData("[1,2]")]
    [InlineData("\"a string\"")]
    [InlineData("42")]
    [InlineData("null")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("{\"type\":\"claude\"} trailing")]
    public async Task Invalid_raw_upload_is_refused_and_leaves_the_existing_file_byte_identical(string body)
    {
        var name = Unique("raw-keep");
        var good = AuthKit.FixtureBytes("qwen-example.json");
        Mgmt.AssertOk(await G.UploadRaw(name, good), "good upload");

        var r = await G.UploadRaw(name, body);
        Assert.True(r.Status == 400, $"expected 400 for {body}, got {r}");
        Assert.StartsWith("invalid auth file: ", (string?)r.Json!["error"]);
        Assert.Single(r.Json!.AsObject());
        AssertStored(name, good);
        await AssertDownload(name, good);
        Assert.Equal("qwen", (string?)(await G.RequireEntry(name))["type"]);

        // A refused first upload creates nothing.
        var fresh = Unique("raw-never");
        var r2 = await G.UploadRaw(fresh, body);
        Assert.Equal(400, r2.Status);
        Assert.Null(G.DiskBytes(fresh));
        Assert.Null(await G.Entry(fresh));
    }

    [Fact]
    public async Task Raw_upload_over_one_mebibyte_is_refused_with_413()
    {
        var name = Unique("raw-big");
        var good = Encoding.UTF8.GetBytes(AuthKit.Credential("small@example.com"));
        Mgmt.AssertOk(await G.UploadRaw(name, good), "small upload");
        var big = "{\"type\":\"claude\",\"pad\":\"" + new string('x', 1024 * 1024) + "\"}";
        var r = await G.UploadRaw(name, big);
        Assert.True(r.Status == 413, $"expected 413, got {r.Status} {r.Body[..Math.Min(200, r.Body.Length)]}");
        AssertStored(name, good);

        var fresh = Unique("raw-big-new");
        Assert.Equal(413, (await G.UploadRaw(fresh, big)).Status);
        Assert.Null(G.DiskBytes(fresh));
    }
}
