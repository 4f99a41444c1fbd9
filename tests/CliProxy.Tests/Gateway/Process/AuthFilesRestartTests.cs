using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Process;

/// <summary>Credentials, their disabled flag and their fields survive a restart; <c>auth_index</c> stays the same (defect 20).</summary>
[Process]
public sealed class AuthFilesRestartTests(FullGatewayProcess fixture) : IClassFixture<FullGatewayProcess>
{
    private GatewayProcess G => fixture.Gateway;

    [Fact]
    public async Task Upload_disable_and_fields_survive_a_restart()
    {
        var m = AuthKit.Marker();
        var claude = $"claude-restart-{m}.json";
        var codex = $"codex-restart-{m}.json";
        var gemini = $"gemini-restart-{m}.json";
        await G.Upload(claude, AuthKit.FixtureText("claude-example.json"));
        Mgmt.AssertOk(await G.UploadMultipart(new FilePart("file", codex, AuthKit.FixtureBytes("codex-example.json"))), "multipart upload");
        await G.Upload(gemini, AuthKit.FixtureText("gemini-example.json"));
        Mgmt.AssertJson("""{"status":"ok","disabled":true}""", (await G.Call("PATCH", "/auth-files/status", $$"""{"name":"{{claude}}","disabled":true}""")).Body);
        Mgmt.AssertOk(await G.Call("PATCH", "/auth-files/fields",
            $$"""{"name":"{{codex}}","prefix":"team","proxy_url":"socks5://restart.proxy:1080","priority":9,"note":"survives"}"""), "patch fields");
        Mgmt.AssertOk(await G.Call("DELETE", "/auth-files?name=" + gemini), "delete");

        var before = (await G.ListFiles()).OfType<JsonObject>().ToDictionary(e => (string)e["name"]!);
        var codexModels = await G.ModelIds(codex);
        var codexBytes = G.DiskBytes(codex)!;

        await G.RestartGatewayAsync();

        var after = (await G.ListFiles()).OfType<JsonObject>().ToDictionary(e => (string)e["name"]!);
        AuthKit.AssertSameItems(before.Keys, after.Keys, "names after restart");
        Assert.DoesNotContain(gemini, after.Keys);
        foreach (var (name, e) in before)
        {
            var a = after[name];
            foreach (var field in new[] { "id", "auth_index", "type", "provider", "label", "email", "disabled", "status", "prefix", "proxy_url", "priority", "note", "size", "path", "id_token" })
                Assert.True(JsonNode.DeepEquals(e[field], a[field]), $"{name}.{field}: {e[field]?.ToJsonString()} before, {a[field]?.ToJsonString()} after restart");
        }
        var c = after[claude];
        Assert.True((bool)c["disabled"]!);
        Assert.Equal("disabled", (string?)c["status"]);
        Assert.Equal(AuthKit.AuthIndexOf(claude), (string?)c["auth_index"]);
        var x = after[codex];
        Assert.Equal("team", (string?)x["prefix"]);
        Assert.Equal("socks5://restart.proxy:1080", (string?)x["proxy_url"]);
        Assert.Equal(9, (long)x["priority"]!);
        Assert.Equal("survives", (string?)x["note"]);
        Assert.Equal(AuthKit.AuthIndexOf(codex), (string?)x["auth_index"]);
        Assert.Equal(codexBytes, G.DiskBytes(codex));
        AuthKit.AssertSameItems(codexModels, await G.ModelIds(codex), "codex models after restart");
        Assert.Empty(await G.ModelIds(claude));
        Assert.False(File.Exists(G.AuthPath(gemini)));
    }
}
