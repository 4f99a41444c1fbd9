using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Support;

/// <summary>One part of a multipart request: field name, file name and content (or a raw Content-Disposition).</summary>
public sealed record FilePart(string Field, string FileName, byte[] Content, string? Disposition = null)
{
    /// <summary>A part named <paramref name="field"/> with file name <paramref name="fileName"/> and UTF-8 text.</summary>
    public static FilePart Text(string field, string fileName, string content) => new(field, fileName, Encoding.UTF8.GetBytes(content));

    /// <summary>
    /// A part whose file name travels only as RFC 5987 <c>filename*</c> (percent-encoded UTF-8), so that
    /// backslashes, quotes and control characters reach the server unchanged.
    /// </summary>
    public static FilePart Encoded(string field, string fileName, string content) =>
        new(field, fileName, Encoding.UTF8.GetBytes(content), $"form-data; name=\"{field}\"; filename*=UTF-8''{Uri.EscapeDataString(fileName)}");
}

/// <summary>
/// Helpers for the black-box tests of the auth-file routes (spec management-auth.md §4): the auth
/// folder of a gateway, the fixtures under the file names of tests/fixtures/auth-files/README.md,
/// raw and multipart uploads, the list, and expected <c>auth_index</c> values.
/// </summary>
public static class AuthKit
{
    /// <summary>Fixture file → the file name the reference would give it (fixtures README).</summary>
    public static readonly IReadOnlyDictionary<string, string> FixtureNames = new Dictionary<string, string>
    {
        ["claude-example.json"] = "claude-user@example.com.json",
        ["codex-example.json"] = "codex-user@example.com-plus.json",
        ["gemini-example.json"] = "gemini-user@example.com-fake-gcp-project-123456.json",
        ["antigravity-example.json"] = "antigravity-user@example.com.json",
        ["qwen-example.json"] = "qwen-1771882393000.json",
        ["kimi-example.json"] = "kimi-1771882393000.json",
        ["iflow-example.json"] = "iflow-user@example.com.json",
        ["iflow-cookie-example.json"] = "iflow-user@example.com-1771882393.json",
        ["vertex-example.json"] = "vertex-fake-vertex-project-123456.json",
    };

    /// <summary>The bytes of a fixture of tests/fixtures/auth-files.</summary>
    public static byte[] FixtureBytes(string fixture) => File.ReadAllBytes(Path.Combine(TestPaths.Fixtures, "auth-files", fixture));

    /// <summary>The text of a fixture of tests/fixtures/auth-files.</summary>
    public static string FixtureText(string fixture) => Encoding.UTF8.GetString(FixtureBytes(fixture));

    /// <summary>The gateway's auth folder (<c>auth-dir: "./auths"</c> of full.yaml).</summary>
    public static string AuthDir(this TestGateway g) => Path.Combine(g.Directory, "auths");

    /// <summary>Path of a credential file in the auth folder.</summary>
    public static string AuthPath(this TestGateway g, string name) => Path.Combine(g.AuthDir(), name);

    /// <summary>The bytes of a credential file on disk, or null when it does not exist.</summary>
    public static byte[]? DiskBytes(this TestGateway g, string name) => File.Exists(g.AuthPath(name)) ? File.ReadAllBytes(g.AuthPath(name)) : null;

    /// <summary>A credential file on disk parsed as a JSON object.</summary>
    public static JsonObject DiskJson(this TestGateway g, string name) => JsonNode.Parse(File.ReadAllBytes(g.AuthPath(name)))!.AsObject();

    /// <summary>The expected <c>auth_index</c>: first 16 hex characters of sha256("file:" + name).</summary>
    public static string AuthIndexOf(string name) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("file:" + name)))[..16];

    /// <summary>
    /// Prepares a gateway on <paramref name="configText"/>, writes <paramref name="files"/> into its
    /// auth folder before the gateway starts, then starts it (in-process).
    /// </summary>
    public static async Task<TestGateway> StartWithAuthFilesAsync(string configText, IEnumerable<(string Name, byte[] Content)> files,
        Dictionary<string, string>? environment = null)
    {
        var g = InProcessGateway.Prepare(configText, environment);
        try
        {
            Directory.CreateDirectory(g.AuthDir());
            foreach (var (name, content) in files) await File.WriteAllBytesAsync(g.AuthPath(name), content);
            await g.StartAsync();
            return g;
        }
        catch
        {
            await g.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a management request with an arbitrary body (null = none) and the key (null = no key).</summary>
    public static async Task<Reply> Send(this TestGateway g, string method, string route, HttpContent? content, string? key = Mgmt.Key)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Mgmt.Prefix + route) { Content = content };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        var response = await g.Client.SendAsync(request);
        return new Reply((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary><c>POST /auth-files?name=</c> with a raw body (content type application/json unless given).</summary>
    public static Task<Reply> UploadRaw(this TestGateway g, string name, byte[] body, string? contentType = "application/json", string? key = Mgmt.Key)
    {
        var content = new ByteArrayContent(body);
        if (contentType is not null) content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return g.Send("POST", "/auth-files?name=" + Uri.EscapeDataString(name), content, key);
    }

    /// <summary><c>POST /auth-files?name=</c> with a UTF-8 text body.</summary>
    public static Task<Reply> UploadRaw(this TestGateway g, string name, string body, string? contentType = "application/json") =>
        g.UploadRaw(name, Encoding.UTF8.GetBytes(body), contentType);

    /// <summary>A multipart/form-data body with exactly the given parts (headers written as given).</summary>
    public static HttpContent Multipart(IEnumerable<FilePart> parts, IEnumerable<(string Field, string Value)>? fields = null)
    {
        var content = new MultipartContent("form-data", "cliproxy-test-" + Guid.NewGuid().ToString("N"));
        foreach (var (field, value) in fields ?? [])
        {
            var part = new StringContent(value);
            part.Headers.ContentType = null;
            part.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{field}\"");
            content.Add(part);
        }
        foreach (var p in parts)
        {
            var part = new ByteArrayContent(p.Content);
            part.Headers.TryAddWithoutValidation("Content-Disposition", p.Disposition ?? $"form-data; name=\"{p.Field}\"; filename=\"{p.FileName}\"");
            part.Headers.TryAddWithoutValidation("Content-Type", "application/json");
            content.Add(part);
        }
        return content;
    }

    /// <summary><c>POST /auth-files</c> as multipart/form-data with the given file parts.</summary>
    public static Task<Reply> UploadMultipart(this TestGateway g, params FilePart[] parts) => g.Send("POST", "/auth-files", Multipart(parts));

    /// <summary>Uploads and asserts <c>200 {"status":"ok"}</c>.</summary>
    public static async Task Upload(this TestGateway g, string name, string json)
    {
        var r = await g.UploadRaw(name, json);
        Mgmt.AssertOk(r, $"upload {name}");
    }

    /// <summary><c>GET /auth-files</c> (with an optional query such as <c>?name=x</c>): asserts 200 and returns <c>files</c>.</summary>
    public static async Task<JsonArray> ListFiles(this TestGateway g, string query = "")
    {
        var r = await g.Call("GET", "/auth-files" + query);
        Assert.True(r.Status == 200, $"GET /auth-files{query}: {r}");
        var obj = r.Json!.AsObject();
        Assert.True(obj.Count == 1 && obj["files"] is JsonArray, $"expected {{\"files\":[...]}}, got {r.Body}");
        return obj["files"]!.AsArray();
    }

    /// <summary>The list entry named <paramref name="name"/>, or null.</summary>
    public static async Task<JsonObject?> Entry(this TestGateway g, string name) =>
        (await g.ListFiles()).OfType<JsonObject>().SingleOrDefault(e => (string?)e["name"] == name);

    /// <summary>The list entry named <paramref name="name"/>; fails when it is absent.</summary>
    public static async Task<JsonObject> RequireEntry(this TestGateway g, string name)
    {
        var list = await g.ListFiles();
        var entry = list.OfType<JsonObject>().SingleOrDefault(e => (string?)e["name"] == name);
        Assert.True(entry is not null, $"{name} not in the list: {list.ToJsonString()}");
        return entry!;
    }

    /// <summary>Names in the list.</summary>
    public static async Task<List<string>> ListNames(this TestGateway g) =>
        (await g.ListFiles()).Select(e => (string)e!["name"]!).ToList();

    /// <summary>Polls (50 ms) until the list entry of <paramref name="name"/> satisfies <paramref name="condition"/> (null = absent); at most 10 s.</summary>
    public static Task UntilEntry(this TestGateway g, string name, Func<JsonObject?, bool> condition, string what) =>
        Mgmt.Eventually(async () => condition(await g.Entry(name)), TimeSpan.FromSeconds(10), what);

    /// <summary><c>GET /auth-files/models?name=</c>: asserts 200 <c>{"models":[...]}</c> and returns the ids.</summary>
    public static async Task<List<string>> ModelIds(this TestGateway g, string name)
    {
        var r = await g.Call("GET", "/auth-files/models?name=" + Uri.EscapeDataString(name));
        Assert.True(r.Status == 200, $"models of {name}: {r}");
        var obj = r.Json!.AsObject();
        Assert.True(obj.Count == 1 && obj["models"] is JsonArray, $"expected {{\"models\":[...]}}, got {r.Body}");
        return obj["models"]!.AsArray().Select(m => (string)m!["id"]!).ToList();
    }

    /// <summary>Ids of a channel's static catalog (tests/fixtures/model-definitions/&lt;channel&gt;.json).</summary>
    public static List<string> CatalogIds(string channel) => CatalogModels(channel).Select(m => (string)m["id"]!).ToList();

    /// <summary>Models of a channel's static catalog.</summary>
    public static List<JsonObject> CatalogModels(string channel) =>
        JsonNode.Parse(File.ReadAllBytes(Path.Combine(TestPaths.Fixtures, "model-definitions", channel + ".json")))!["models"]!.AsArray()
            .Select(m => m!.AsObject()).ToList();

    /// <summary>Asserts that two lists hold the same strings the same number of times (order ignored).</summary>
    public static void AssertSameItems(IEnumerable<string> expected, IEnumerable<string> actual, string what)
    {
        var e = expected.Order(StringComparer.Ordinal).ToList();
        var a = actual.Order(StringComparer.Ordinal).ToList();
        Assert.True(e.SequenceEqual(a), $"{what}:\n expected [{string.Join(", ", e)}]\n   actual [{string.Join(", ", a)}]\n  missing [{string.Join(", ", e.Except(a))}]\n    extra [{string.Join(", ", a.Except(e))}]");
    }

    /// <summary>ISO-8601 date-time with an explicit offset (Z or ±hh:mm).</summary>
    public static readonly Regex IsoWithOffset = new(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$");

    /// <summary>Asserts that <paramref name="node"/> is an ISO-8601 time with offset and returns it.</summary>
    public static DateTimeOffset AssertTime(JsonNode? node, string what)
    {
        var text = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        Assert.True(text is not null && IsoWithOffset.IsMatch(text), $"{what}: expected an ISO-8601 time with offset, got {node?.ToJsonString() ?? "(absent)"}");
        return DateTimeOffset.Parse(text!, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Every file path below <paramref name="root"/> (recursive).</summary>
    public static HashSet<string> Tree(string root) =>
        Directory.Exists(root) ? Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).ToHashSet(StringComparer.Ordinal) : [];

    /// <summary>Asserts that the files below <paramref name="root"/> are exactly <paramref name="before"/>.</summary>
    public static void AssertSameTree(HashSet<string> before, string root)
    {
        var now = Tree(root);
        Assert.True(now.SetEquals(before), $"files below {root} changed: added [{string.Join(", ", now.Except(before))}], removed [{string.Join(", ", before.Except(now))}]");
    }

    /// <summary>Entries (files or folders, not recursive) of <paramref name="folder"/> whose name contains <paramref name="marker"/>.</summary>
    public static List<string> EntriesWith(string folder, string marker)
    {
        try
        {
            return Directory.Exists(folder) ? Directory.EnumerateFileSystemEntries(folder, "*" + marker + "*").ToList() : [];
        }
        catch (UnauthorizedAccessException)
        {
            return [];
        }
    }

    /// <summary>A fresh marker for file names of one test.</summary>
    public static string Marker() => "zz" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A small valid credential (claude) with a distinct email.</summary>
    public static string Credential(string email, string type = "claude", string extra = "") =>
        $"{{\"type\":\"{type}\",\"email\":\"{email}\",\"access_token\":\"FAKE-{Guid.NewGuid():N}\"{extra}}}\n";
}
