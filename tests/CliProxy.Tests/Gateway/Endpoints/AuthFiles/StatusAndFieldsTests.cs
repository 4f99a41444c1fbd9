using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints.AuthFiles;

/// <summary>
/// <c>PATCH /auth-files/status</c> and <c>PATCH /auth-files/fields</c> (spec §4.7, §4.8 with the
/// correction of defect 17: every field is persisted and validated). Each test uses its own file.
/// </summary>
[Http]
public sealed class StatusAndFieldsTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    private async Task<string> Uploaded(string stem, string? json = null)
    {
        var name = $"{stem}-{AuthKit.Marker()}.json";
        await G.Upload(name, json ?? AuthKit.FixtureText("claude-example.json"));
        return name;
    }

    /// <summary>Asserts the file holds the same keys and values as <paramref name="before"/> except <paramref name="changed"/> (set, or removed when null).</summary>
    private void AssertFileIs(string name, JsonObject before, Dictionary<string, JsonNode?> changed)
    {
        var expected = before.DeepClone().AsObject();
        foreach (var (k, v) in changed)
        {
            if (v is null) expected.Remove(k);
            else expected[k] = v.DeepClone();
        }
        var actual = G.DiskJson(name);
        Assert.True(JsonNode.DeepEquals(expected, actual), $"file {name}:\n expected {expected.ToJsonString()}\n   actual {actual.ToJsonString()}");
    }

    // ------------------------------------------------------------ status

    [Fact]
    public async Task Disable_and_enable_write_the_flag_and_show_in_the_list()
    {
        var name = await Uploaded("status");
        var original = G.DiskJson(name);

        var r = await G.Call("PATCH", "/auth-files/status", new JsonObject { ["name"] = name, ["disabled"] = true }.ToJsonString());
        Assert.Equal(200, r.Status);
        Mgmt.AssertJson("""{"status":"ok","disabled":true}""", r.Body);
        AssertFileIs(name, original, new() { ["disabled"] = true });
        var e = await G.RequireEntry(name);
        Assert.True((bool)e["disabled"]!);
        Assert.Equal("disabled", (string?)e["status"]);
        Assert.Equal("disabled via management API", (string?)e["status_message"]);
        Assert.Equal(AuthKit.AuthIndexOf(name), (string?)e["auth_index"]);

        r = await G.Call("PATCH", "/auth-files/status", new JsonObject { ["name"] = name, ["disabled"] = false }.ToJsonString());
        Assert.Equal(200, r.Status);
        Mgmt.AssertJson("""{"status":"ok","disabled":false}""", r.Body);
        AssertFileIs(name, original, new() { ["disabled"] = false });
        e = await G.RequireEntry(name);
        Assert.False((bool)e["disabled"]!);
        Assert.Equal("active", (string?)e["status"]);
        Assert.Equal("", (string?)e["status_message"]);
    }

    [Fact]
    public async Task Disabling_an_indented_file_keeps_every_other_value()
    {
        var name = await Uploaded("status-indented", AuthKit.FixtureText("gemini-example.json"));
        var original = G.DiskJson(name);
        var r = await G.Call("PATCH", "/auth-files/status", $$"""{"name":" {{name}} ","disabled":true}""");
        Mgmt.AssertJson("""{"status":"ok","disabled":true}""", r.Body);
        AssertFileIs(name, original, new() { ["disabled"] = true });
        Assert.Equal("gemini-cli", (string?)(await G.RequireEntry(name))["type"]);
        Assert.Empty(await G.ModelIds(name));
    }

    public static TheoryData<string, int, string> StatusErrors => new()
    {
        { "", 400, "invalid request body" },
        { "not json", 400, "invalid request body" },
        { "[1]", 400, "invalid request body" },
        { """{"name":5,"disabled":true}""", 400, "invalid request body" },
        { """{"name":"x.json","disabled":"yes"}""", 400, "invalid request body" },
        { """{"name":"x.json","disabled":1}""", 400, "invalid request body" },
        { """{"disabled":true}""", 400, "name is required" },
        { """{"name":"   ","disabled":true}""", 400, "name is required" },
        { """{"name":null,"disabled":true}""", 400, "name is required" },
        { """{"name":"status-missing-zz.json"}""", 400, "disabled is required" },
        { """{"name":"status-missing-zz.json","disabled":null}""", 400, "disabled is required" },
        { """{"name":"status-missing-zz.json","disabled":true}""", 404, "auth file not found" },
        { """{"name":"../escape.json","disabled":true}""", 404, "auth file not found" },
    };

    [Theory]
    [MemberData(nameof(StatusErrors))]
    public async Task Status_errors(string body, int status, string error)
    {
        Mgmt.AssertError(await G.Call("PATCH", "/auth-files/status", body), status, error);
    }

    [Fact]
    public async Task Status_of_an_unknown_name_creates_nothing()
    {
        var name = $"status-ghost-{AuthKit.Marker()}.json";
        Mgmt.AssertError(await G.Call("PATCH", "/auth-files/status", $$"""{"name":"{{name}}","disabled":true}"""), 404, "auth file not found");
        Assert.False(File.Exists(G.AuthPath(name)));
        Assert.Null(await G.Entry(name));
    }

    // ------------------------------------------------------------ fields

    [Fact]
    public async Task Fields_are_normalised_persisted_and_listed()
    {
        var name = await Uploaded("fields");
        var original = G.DiskJson(name);
        var r = await G.Call("PATCH", "/auth-files/fields",
            new JsonObject { ["name"] = name, ["prefix"] = " /team/ ", ["proxy_url"] = "  socks5://fields.proxy:1080 ", ["priority"] = 7, ["note"] = "  primary account  " }.ToJsonString());
        Mgmt.AssertOk(r, "patch fields");
        AssertFileIs(name, original, new()
        {
            ["prefix"] = "team", ["proxy_url"] = "socks5://fields.proxy:1080", ["priority"] = 7, ["note"] = "primary account",
        });
        var e = await G.RequireEntry(name);
        Assert.Equal("team", (string?)e["prefix"]);
        Assert.Equal("socks5://fields.proxy:1080", (string?)e["proxy_url"]);
        Assert.Equal(7, (long)e["priority"]!);
        Assert.Equal("primary account", (string?)e["note"]);
        Assert.Equal("active", (string?)e["status"]);
        Assert.Contains("team/claude-sonnet-4-6", await G.ModelIds(name));
    }

    [Fact]
    public async Task Empty_values_and_priority_zero_remove_the_fields()
    {
        var name = await Uploaded("fields-clear");
        var original = G.DiskJson(name);
        Mgmt.AssertOk(await G.Call("PATCH", "/auth-files/fields",
            new JsonObject { ["name"] = name, ["prefix"] = "p1", ["proxy_url"] = "http://p:1", ["priority"] = -3, ["note"] = "n" }.ToJsonString()), "set");
        AssertFileIs(name, original, new() { ["prefix"] = "p1", ["proxy_url"] = "http://p:1", ["priority"] = -3, ["note"] = "n" });

        Mgmt.AssertOk(await G.Call("PATCH", "/auth-files/fields",
            new JsonObject { ["name"] = name, ["prefix"] = "", ["proxy_url"] = "  ", ["priority"] = 0, ["note"] = "   " }.ToJsonString()), "clear");
        AssertFileIs(name, original, new());
        var e = await G.RequireEntry(name);
        Assert.True(Mgmt.IsEmpty(e["prefix"]), e.ToJsonString());
        Assert.True(Mgmt.IsEmpty(e["proxy_url"]), e.ToJsonString());
        Assert.True(Mgmt.IsEmpty(e["note"]), e.ToJsonString());
        Assert.Equal(0, (long)e["priority"]!);
    }

    [Fact]
    public async Task A_single_field_leaves_the_others_alone_and_null_is_absent()
    {
        var name = await Uploaded("fields-one");
        var original = G.DiskJson(name);
        Mgmt.AssertOk(await G.Call("PATCH", "/auth-files/fields", new JsonObject { ["name"] = name, ["prefix"] = "keep", ["priority"] = 3 }.ToJsonString()), "set");
        Mgmt.AssertOk(await G.Call("PATCH", "/auth-files/fields", $$"""{"name":"{{name}}","note":"only the note","prefix":null,"priority":null}"""), "note");
        AssertFileIs(name, original, new() { ["prefix"] = "keep", ["priority"] = 3, ["note"] = "only the note" });
        var e = await G.RequireEntry(name);
        Assert.Equal("keep", (string?)e["prefix"]);
        Assert.Equal(3, (long)e["priority"]!);
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData(" /a/b/ ")]
    [InlineData("team//x")]
    public async Task A_prefix_with_an_inner_slash_is_refused(string prefix)
    {
        var name = await Uploaded("fields-badprefix");
        var before = G.DiskBytes(name)!;
        var r = await G.Call("PATCH", "/auth-files/fields", new JsonObject { ["name"] = name, ["prefix"] = prefix, ["note"] = "must not be written" }.ToJsonString());
        Assert.True(r.Status == 400, $"expected 400, got {r}");
        Assert.StartsWith("invalid prefix", (string?)r.Json!["error"]);
        Assert.Equal(before, G.DiskBytes(name));
    }

    public static TheoryData<string, int, string> FieldErrors => new()
    {
        { "", 400, "invalid request body" },
        { "not json", 400, "invalid request body" },
        { """{"name":"fields-x.json","priority":1.5}""", 400, "invalid request body" },
        { """{"name":"fields-x.json","priority":"5"}""", 400, "invalid request body" },
        { """{"name":"fields-x.json","prefix":5}""", 400, "invalid request body" },
        { """{"name":"fields-x.json","proxy_url":true}""", 400, "invalid request body" },
        { """{"name":7,"prefix":"x"}""", 400, "invalid request body" },
        { """{"prefix":"x"}""", 400, "name is required" },
        { """{"name":"  ","prefix":"x"}""", 400, "name is required" },
        { """{"name":"fields-missing-zz.json","prefix":"x"}""", 404, "auth file not found" },
        { """{"name":"fields-missing-zz.json"}""", 404, "auth file not found" },
    };

    [Theory]
    [MemberData(nameof(FieldErrors))]
    public async Task Field_errors(string body, int status, string error)
    {
        Mgmt.AssertError(await G.Call("PATCH", "/auth-files/fields", body), status, error);
    }

    [Fact]
    public async Task No_fields_to_update()
    {
        var name = await Uploaded("fields-none");
        var before = G.DiskBytes(name)!;
        Mgmt.AssertError(await G.Call("PATCH", "/auth-files/fields", $$"""{"name":"{{name}}"}"""), 400, "no fields to update");
        Mgmt.AssertError(await G.Call("PATCH", "/auth-files/fields", $$"""{"name":"{{name}}","prefix":null,"proxy_url":null,"priority":null,"note":null}"""), 400, "no fields to update");
        Assert.Equal(before, G.DiskBytes(name));
    }
}
