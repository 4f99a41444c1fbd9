using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints.AuthFiles;

/// <summary>
/// A gateway started on an auth folder that already holds every fixture of tests/fixtures/auth-files
/// (under the file names of its README) plus a few extra files: mixed-case names and types, and a
/// file that is not JSON. Nothing in this class changes the folder.
/// </summary>
public sealed class AdoptedFolderGateway : IAsyncLifetime
{
    /// <summary>Extra files: name → content.</summary>
    public static readonly IReadOnlyDictionary<string, string> Extras = new Dictionary<string, string>
    {
        // Upper-case names sort among the lower-case ones (case-insensitive order).
        ["Zeta-Upper.json"] = """{"type":"Gemini","email":"zeta@example.com","project_id":"zeta-project"}""" + "\n",
        ["alpha-lower.json"] = """{"type":"KIMI","access_token":"FAKE-ALPHA"}""",
        ["Beta-Mixed.json"] = """{"type":"Claude","email":"beta@example.com","disabled":true,"prefix":"/beta/","proxy_url":"socks5://beta.proxy:1080","priority":"12","note":"  from disk  "}""",
    };

    /// <summary>A <c>.json</c> file that is not JSON: never a credential (spec §1.3).</summary>
    public const string Broken = "broken-startup.json";

    /// <summary>The running gateway.</summary>
    public TestGateway Gateway { get; private set; } = null!;

    /// <summary>Every listed name: fixtures plus extras.</summary>
    public static IEnumerable<string> AllNames => AuthKit.FixtureNames.Values.Concat(Extras.Keys);

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var files = AuthKit.FixtureNames.Select(kv => (kv.Value, AuthKit.FixtureBytes(kv.Key)))
            .Concat(Extras.Select(kv => (kv.Key, Encoding.UTF8.GetBytes(kv.Value))))
            .Append((Broken, Encoding.UTF8.GetBytes("{\"type\":\"claude\",\"email\":")));
        Gateway = await AuthKit.StartWithAuthFilesAsync(Mgmt.FullYaml, files);
    }

    /// <inheritdoc />
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>
/// <c>GET /auth-files</c> and <c>GET /auth-files/download</c> on an adopted folder (spec §4.1, §4.4,
/// §1.3, §1.6): every file is listed with the right fields, downloads return the exact bytes.
/// </summary>
[Http]
public sealed class AdoptedFolderTests(AdoptedFolderGateway fixture) : IClassFixture<AdoptedFolderGateway>
{
    private TestGateway G => fixture.Gateway;

    private static readonly DateTimeOffset FixtureRefresh = DateTimeOffset.Parse("2026-02-23T21:33:13Z", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>fixture → (type, email or null, account, has last_refresh).</summary>
    private static readonly Dictionary<string, (string Type, string? Email, string? Account, bool LastRefresh)> Expected = new()
    {
        ["claude-example.json"] = ("claude", "user@example.com", "user@example.com", true),
        ["codex-example.json"] = ("codex", "user@example.com", "user@example.com", true),
        ["gemini-example.json"] = ("gemini-cli", "user@example.com", "user@example.com (fake-gcp-project-123456)", false),
        ["antigravity-example.json"] = ("antigravity", "user@example.com", "user@example.com", false),
        ["qwen-example.json"] = ("qwen", "1771882393000", "1771882393000", true),
        ["kimi-example.json"] = ("kimi", null, null, false),
        ["iflow-example.json"] = ("iflow", "user@example.com", "user@example.com", true),
        ["iflow-cookie-example.json"] = ("iflow", "user@example.com", "user@example.com", true),
        ["vertex-example.json"] = ("vertex", "proxy-sa@fake-vertex-project-123456.iam.gserviceaccount.com", "proxy-sa@fake-vertex-project-123456.iam.gserviceaccount.com", false),
    };

    private void AssertCommonFields(JsonObject e, string name, long size)
    {
        Assert.Equal(name, (string?)e["id"]);
        Assert.Equal(name, (string?)e["name"]);
        Assert.Equal(AuthKit.AuthIndexOf(name), (string?)e["auth_index"]);
        Assert.Equal((string?)e["type"], (string?)e["provider"]);
        Assert.False((bool)e["unavailable"]!, $"unavailable in {e.ToJsonString()}");
        Assert.False((bool)e["runtime_only"]!, $"runtime_only in {e.ToJsonString()}");
        Assert.Equal("file", (string?)e["source"]);
        Assert.Equal(size, (long)e["size"]!);
        Assert.Equal(G.AuthPath(name), (string?)e["path"]);
        AuthKit.AssertTime(e["created_at"], name + " created_at");
        AuthKit.AssertTime(e["updated_at"], name + " updated_at");
        var modtime = AuthKit.AssertTime(e["modtime"], name + " modtime");
        var mtime = new DateTimeOffset(File.GetLastWriteTimeUtc(G.AuthPath(name)), TimeSpan.Zero);
        Assert.True((modtime - mtime).Duration() < TimeSpan.FromSeconds(2), $"{name}: modtime {modtime:O} is not the file's mtime {mtime:O}");
    }

    [Fact]
    public async Task Every_adopted_file_is_listed_sorted_case_insensitively()
    {
        // The broken file is checked by its own test (A_json_file_that_is_not_json_is_not_a_credential).
        var names = (await G.ListNames()).Where(n => n != AdoptedFolderGateway.Broken).ToList();
        var expected = AdoptedFolderGateway.AllNames.Order(StringComparer.OrdinalIgnoreCase).ToList();
        Assert.Equal(expected, names);
        Assert.Equal("alpha-lower.json", names[0]);
        Assert.True(names.IndexOf("Beta-Mixed.json") < names.IndexOf("claude-user@example.com.json"), string.Join(", ", names));
        Assert.Equal("Zeta-Upper.json", names[^1]);
    }

    [Fact]
    public async Task Fixture_entries_have_type_email_auth_index_and_file_fields()
    {
        var list = await G.ListFiles();
        foreach (var (fixture, (type, email, account, lastRefresh)) in Expected)
        {
            var name = AuthKit.FixtureNames[fixture];
            var e = list.OfType<JsonObject>().SingleOrDefault(x => (string?)x["name"] == name);
            Assert.True(e is not null, $"{name} missing from {list.ToJsonString()}");
            AssertCommonFields(e!, name, AuthKit.FixtureBytes(fixture).Length);
            Assert.Equal(type, (string?)e!["type"]);
            Assert.Equal("active", (string?)e["status"]);
            Assert.Equal("", (string?)e["status_message"]);
            Assert.False((bool)e["disabled"]!);
            Assert.Equal(email ?? type, (string?)e["label"]);
            if (email is null)
            {
                foreach (var key in new[] { "email", "account_type", "account" })
                    Assert.False(e.ContainsKey(key), $"{name}: {key} present in {e.ToJsonString()}");
            }
            else
            {
                Assert.Equal(email, (string?)e["email"]);
                Assert.Equal("oauth", (string?)e["account_type"]);
                Assert.Equal(account, (string?)e["account"]);
            }
            if (lastRefresh) Assert.Equal(FixtureRefresh, AuthKit.AssertTime(e["last_refresh"], name + " last_refresh"));
            else Assert.False(e.ContainsKey("last_refresh"), $"{name}: unexpected last_refresh in {e.ToJsonString()}");
            if (type != "codex") Assert.False(e.ContainsKey("id_token"), $"{name}: unexpected id_token in {e.ToJsonString()}");
            Assert.True(Mgmt.IsEmpty(e["prefix"]), $"{name}: prefix {e["prefix"]?.ToJsonString()}");
            Assert.True(Mgmt.IsEmpty(e["proxy_url"]), $"{name}: proxy_url {e["proxy_url"]?.ToJsonString()}");
            Assert.True(Mgmt.IsEmpty(e["note"]), $"{name}: note {e["note"]?.ToJsonString()}");
            Assert.True(e["priority"] is JsonValue p && (long)p == 0, $"{name}: priority should be 0, got {e["priority"]?.ToJsonString() ?? "(absent)"}");
        }
    }

    [Fact]
    public async Task Claude_fixture_has_the_documented_auth_index()
    {
        var e = await G.RequireEntry("claude-user@example.com.json");
        Assert.Equal("e59d1dab60a10e70", (string?)e["auth_index"]);
    }

    [Fact]
    public async Task Codex_entry_carries_the_id_token_claims()
    {
        var e = await G.RequireEntry("codex-user@example.com-plus.json");
        Mgmt.AssertJson("""
            {"chatgpt_account_id":"acct_00000000-fake-4000-8000-000000000001","plan_type":"plus",
             "chatgpt_subscription_active_start":"2026-01-24T00:00:00+00:00","chatgpt_subscription_active_until":"2026-03-24T00:00:00+00:00"}
            """, e["id_token"]);
    }

    [Fact]
    public async Task Types_are_lower_cased_and_gemini_becomes_gemini_cli()
    {
        var zeta = await G.RequireEntry("Zeta-Upper.json");
        Assert.Equal("gemini-cli", (string?)zeta["type"]);
        Assert.Equal("gemini-cli", (string?)zeta["provider"]);
        Assert.Equal("zeta@example.com (zeta-project)", (string?)zeta["account"]);
        var alpha = await G.RequireEntry("alpha-lower.json");
        Assert.Equal("kimi", (string?)alpha["type"]);
        Assert.Equal("kimi", (string?)alpha["label"]);
        Assert.False(alpha.ContainsKey("email"), alpha.ToJsonString());
    }

    [Fact]
    public async Task Adopted_disabled_flag_and_custom_fields_are_listed()
    {
        var e = await G.RequireEntry("Beta-Mixed.json");
        AssertCommonFields(e, "Beta-Mixed.json", Encoding.UTF8.GetByteCount(AdoptedFolderGateway.Extras["Beta-Mixed.json"]));
        Assert.Equal("claude", (string?)e["type"]);
        Assert.True((bool)e["disabled"]!);
        Assert.Equal("disabled", (string?)e["status"]);
        Assert.Equal("beta", (string?)e["prefix"]);
        Assert.Equal("socks5://beta.proxy:1080", (string?)e["proxy_url"]);
        Assert.Equal(12, (long)e["priority"]!);
        Assert.Equal("from disk", (string?)e["note"]);
    }

    [Fact]
    public async Task A_json_file_that_is_not_json_is_not_a_credential()
    {
        var names = await G.ListNames();
        Assert.DoesNotContain(AdoptedFolderGateway.Broken, names);
        // Adopted unchanged: the broken file is still on disk as it was.
        Assert.Equal("{\"type\":\"claude\",\"email\":", File.ReadAllText(G.AuthPath(AdoptedFolderGateway.Broken)));
    }

    [Fact]
    public async Task Adopted_files_stay_byte_identical_on_disk_and_download_returns_the_exact_bytes()
    {
        foreach (var (fixture, name) in AuthKit.FixtureNames)
        {
            var bytes = AuthKit.FixtureBytes(fixture);
            Assert.True(bytes.AsSpan().SequenceEqual(G.DiskBytes(name)), $"{name} changed on disk");
            var r = await G.Send("GET", "/auth-files/download?name=" + Uri.EscapeDataString(name), null);
            Assert.True(r.Status == 200, $"download {name}: {r}");
            var body = await r.Response.Content.ReadAsByteArrayAsync();
            Assert.True(bytes.AsSpan().SequenceEqual(body), $"download {name}: bytes differ:\n{Encoding.UTF8.GetString(body)}");
            Assert.Equal("application/json", r.Response.Content.Headers.ContentType?.MediaType);
            Assert.Equal($"attachment; filename=\"{name}\"", r.Header("Content-Disposition"));
        }
    }

    [Fact]
    public async Task List_filters_by_name_and_auth_index()
    {
        const string claude = "claude-user@example.com.json";
        var byName = await G.ListFiles("?name=" + Uri.EscapeDataString(claude));
        Assert.Equal([claude], byName.Select(e => (string)e!["name"]!));
        var byIndex = await G.ListFiles("?auth_index=e59d1dab60a10e70");
        Assert.Equal([claude], byIndex.Select(e => (string)e!["name"]!));
        var both = await G.ListFiles($"?name={Uri.EscapeDataString(claude)}&auth_index=e59d1dab60a10e70");
        Assert.Equal([claude], both.Select(e => (string)e!["name"]!));
        var kimi = AuthKit.FixtureNames["kimi-example.json"];
        var byKimiIndex = await G.ListFiles("?auth_index=" + AuthKit.AuthIndexOf(kimi));
        Assert.Equal([kimi], byKimiIndex.Select(e => (string)e!["name"]!));
        Assert.Empty(await G.ListFiles($"?name={Uri.EscapeDataString(claude)}&auth_index={AuthKit.AuthIndexOf(kimi)}"));
        Assert.Empty(await G.ListFiles("?name=nobody.json"));
        Assert.Empty(await G.ListFiles("?auth_index=0000000000000000"));
    }
}
