using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Http.AuthFiles;

/// <summary>
/// <c>POST /auth-files</c> (spec §4.5 with the batch form and the corrections of defects 11 and 12):
/// raw bodies with <c>?name=</c> and multipart uploads are stored byte-for-byte with mode 0600, an
/// invalid upload never touches a stored file, oversized files are refused, and no name writes
/// outside the auth folder. Each test uses its own file names.
/// </summary>
public sealed class UploadTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private GatewayProcess G => fixture.Gateway;

    private static string Unique(string stem) => $"{stem}-{AuthKit.Marker()}.json";

    private void AssertStored(string name, byte[] expected)
    {
        var disk = G.DiskBytes(name);
        Assert.True(disk is not null, $"{name} not written to {G.AuthDir()}");
        Assert.True(expected.AsSpan().SequenceEqual(disk), $"{name} not stored byte-for-byte:\n expected {Encoding.UTF8.GetString(expected)}\n   actual {Encoding.UTF8.GetString(disk!)}");
        Assert.Equal(Mode0600, File.GetUnixFileMode(G.AuthPath(name)));
    }

    private async Task AssertDownload(string name, byte[] expected)
    {
        var r = await G.Send("GET", "/auth-files/download?name=" + Uri.EscapeDataString(name), null);
        Assert.True(r.Status == 200, $"download {name}: {r}");
        Assert.Equal(expected, await r.Response.Content.ReadAsByteArrayAsync());
    }

    // ------------------------------------------------------------ raw body

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

    // ------------------------------------------------------------ multipart

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

    // ------------------------------------------------------------ names that must not escape the auth folder

    /// <summary>Names whose decoded <c>?name=</c> value is unsafe; {0} is replaced by a unique marker.</summary>
    public static TheoryData<string> UnsafeRawNames => new()
    {
        "../{0}.json",
        "../../{0}.json",
        "../../../{0}.json",
        "./../{0}.json",
        "..\\{0}.json",
        "..\\..\\{0}.json",
        "sub/{0}.json",
        "sub\\{0}.json",
        "/tmp/{0}.json",
        "/{0}.json",
        "\\{0}.json",
        "C:{0}.json",
        "C:\\{0}.json",
        "c:/{0}.json",
        "\\\\server\\share\\{0}.json",
        "~/{0}.json",
        "{0}.json/",
        "%2e%2e/{0}.json",
        "..",
        "a..{0}.json",
        "{0}\u0000.json",
        "{0}\n.json",
        "{0}\t.json",
        "{0}\u001b.json",
        "",
        "   ",
    };

    private void AssertNothingOutsideAuthFolder(string marker, HashSet<string> treeBefore)
    {
        var auth = G.AuthDir() + Path.DirectorySeparatorChar;
        var added = AuthKit.Tree(G.Directory).Except(treeBefore).ToList();
        Assert.True(added.All(p => p.StartsWith(auth, StringComparison.Ordinal) && !p[auth.Length..].Contains(Path.DirectorySeparatorChar)),
            $"files written outside the auth folder: {string.Join(", ", added)}");
        foreach (var folder in new[] { Path.GetDirectoryName(G.Directory)!, "/", "/tmp", Environment.CurrentDirectory, TestPaths.RepoRoot, Path.Combine(G.AuthDir(), "sub") })
        {
            var found = AuthKit.EntriesWith(folder, marker);
            Assert.True(found.Count == 0, $"file written outside the auth folder: {string.Join(", ", found)}");
        }
    }

    [Theory]
    [MemberData(nameof(UnsafeRawNames))]
    public async Task Raw_upload_with_an_unsafe_name_is_refused_and_writes_nothing(string pattern)
    {
        var marker = AuthKit.Marker();
        var name = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, marker);
        Directory.CreateDirectory(G.AuthDir());
        var before = AuthKit.Tree(G.Directory);
        var r = await G.UploadRaw(name, AuthKit.Credential("evil@example.com"));
        Mgmt.AssertError(r, 400, "invalid name");
        AssertNothingOutsideAuthFolder(marker, before);
        AuthKit.AssertSameTree(before, G.Directory);
        Assert.DoesNotContain((await G.ListNames()), n => n.Contains(marker, StringComparison.Ordinal));
    }

    /// <summary>Multipart file names whose base name is still unsafe (sent as <c>filename*</c>); {0} is a marker.</summary>
    public static TheoryData<string, string> UnsafeMultipartNames => new()
    {
        { "..\\{0}.json", "invalid name" },
        { "..\\..\\{0}.json", "invalid name" },
        { "sub\\{0}.json", "invalid name" },
        { "C:{0}.json", "invalid name" },
        { "C:\\{0}.json", "invalid name" },
        { "\\\\server\\share\\{0}.json", "invalid name" },
        { "..", "invalid name" },
        { "sub/..", "invalid name" },
        { "a..{0}.json", "invalid name" },
        { "{0}\u0001.json", "invalid name" },
        { "{0}\n.json", "invalid name" },
        { "../{0}.txt", "file must be .json" },
        { "{0}.json.exe", "file must be .json" },
    };

    [Theory]
    [MemberData(nameof(UnsafeMultipartNames))]
    public async Task Multipart_upload_with_an_unsafe_base_name_is_refused_and_writes_nothing(string pattern, string error)
    {
        var marker = AuthKit.Marker();
        var name = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, marker);
        Directory.CreateDirectory(G.AuthDir());
        var before = AuthKit.Tree(G.Directory);
        var r = await G.UploadMultipart(FilePart.Encoded("file", name, AuthKit.Credential("evil@example.com")));
        Mgmt.AssertError(r, 400, error);
        AssertNothingOutsideAuthFolder(marker, before);
        AuthKit.AssertSameTree(before, G.Directory);
    }

    [Theory]
    [InlineData("../{0}.json")]
    [InlineData("../../{0}.json")]
    [InlineData("/tmp/{0}.json")]
    [InlineData("sub/dir/{0}.json")]
    public async Task Multipart_file_name_with_a_path_is_reduced_to_its_base_name_inside_the_auth_folder(string pattern)
    {
        var marker = AuthKit.Marker();
        var name = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, marker);
        var baseName = marker + ".json";
        Directory.CreateDirectory(G.AuthDir());
        var before = AuthKit.Tree(G.Directory);
        var bytes = Encoding.UTF8.GetBytes(AuthKit.Credential("base@example.com"));
        Mgmt.AssertOk(await G.UploadMultipart(new FilePart("file", name, bytes)), $"multipart {name}");
        AssertNothingOutsideAuthFolder(marker, before);
        Assert.Equal([G.AuthPath(baseName)], AuthKit.Tree(G.Directory).Except(before).ToList());
        AssertStored(baseName, bytes);
        Assert.NotNull(await G.Entry(baseName));
    }

    // ------------------------------------------------------------ download

    public static TheoryData<string> InvalidDownloadNames => new()
    {
        "", "   ", "../secret.json", "../../secret.json", "..\\secret.json", "nested/secret.json", "nested\\secret.json",
        "/etc/secret.json", "C:secret.json", "C:\\secret.json", "secret\u0001.json", "..", "a..secret.json",
    };

    [Theory]
    [MemberData(nameof(InvalidDownloadNames))]
    public async Task Download_refuses_unsafe_names(string name)
    {
        Mgmt.AssertError(await G.Call("GET", "/auth-files/download?name=" + Uri.EscapeDataString(name)), 400, "invalid name");
    }

    [Fact]
    public async Task Download_does_not_read_a_file_next_to_the_auth_folder()
    {
        var name = Unique("outside");
        await File.WriteAllTextAsync(Path.Combine(G.Directory, name), AuthKit.Credential("outside@example.com"));
        Mgmt.AssertError(await G.Call("GET", "/auth-files/download?name=" + Uri.EscapeDataString("../" + name)), 400, "invalid name");
        Mgmt.AssertError(await G.Call("GET", "/auth-files/download?name=" + Uri.EscapeDataString(name)), 404, "file not found");
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("creds.json.bak")]
    [InlineData("config.yaml")]
    public async Task Download_requires_a_json_suffix(string name)
    {
        Mgmt.AssertError(await G.Call("GET", "/auth-files/download?name=" + Uri.EscapeDataString(name)), 400, "name must end with .json");
    }

    [Fact]
    public async Task Download_of_a_missing_file_is_404_and_no_name_is_400()
    {
        Mgmt.AssertError(await G.Call("GET", "/auth-files/download?name=" + Unique("missing")), 404, "file not found");
        Mgmt.AssertError(await G.Call("GET", "/auth-files/download"), 400, "invalid name");
    }

    // ------------------------------------------------------------ list order

    [Fact]
    public async Task List_is_sorted_by_name_case_insensitively()
    {
        var m = AuthKit.Marker();
        foreach (var name in new[] { $"Zeta-sort-{m}.json", $"alpha-sort-{m}.json", $"Beta-sort-{m}.json", $"gamma-sort-{m}.json", $"ALPHA2-sort-{m}.json" })
            await G.Upload(name, AuthKit.Credential("sort@example.com"));
        var names = await G.ListNames();
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase).ToList(), names);
        var mine = names.Where(n => n.Contains(m, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"alpha-sort-{m}.json", $"ALPHA2-sort-{m}.json", $"Beta-sort-{m}.json", $"gamma-sort-{m}.json", $"Zeta-sort-{m}.json"], mine);
    }
}
