using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints.AuthFiles;

/// <summary>Every auth-file route requires the management key (spec §2) and changes nothing without it.</summary>
[Http]
public sealed class AuthFilesAccessTests(TrustingFullConfigGateway fixture) : IClassFixture<TrustingFullConfigGateway>
{
    private TestGateway G => fixture.Gateway;

    public static TheoryData<string, string, string?> Routes => new()
    {
        { "GET", "/auth-files", null },
        { "GET", "/auth-files?name=guarded.json", null },
        { "GET", "/auth-files/models?name=guarded.json", null },
        { "GET", "/auth-files/download?name=guarded.json", null },
        { "GET", "/model-definitions/claude", null },
        { "GET", "/model-definitions?channel=claude", null },
        { "POST", "/auth-files?name=guarded.json", """{"type":"claude","email":"intruder@example.com"}""" },
        { "DELETE", "/auth-files?name=guarded.json", null },
        { "DELETE", "/auth-files?all=true", null },
        { "PATCH", "/auth-files/status", """{"name":"guarded.json","disabled":true}""" },
        { "PATCH", "/auth-files/fields", """{"name":"guarded.json","prefix":"intruder"}""" },
        { "POST", "/vertex/import", null },
    };

    private async Task EnsureGuarded()
    {
        if (File.Exists(G.AuthPath("guarded.json"))) return;
        var r = await G.Call("POST", "/auth-files?name=guarded.json", AuthKit.Credential("guarded@example.com"), from: Mgmt.NextLocal());
        Mgmt.AssertOk(r, "upload guarded.json");
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Without_a_key_the_route_is_401_and_changes_nothing(string method, string route, string? body)
    {
        await EnsureGuarded();
        var bytes = G.DiskBytes("guarded.json");
        var r = await G.Call(method, route, body, key: null, from: Mgmt.NextLocal());
        Mgmt.AssertError(r, 401, "missing management key");
        var wrong = await G.Call(method, route, body, key: "not-the-key", from: Mgmt.NextLocal());
        Mgmt.AssertError(wrong, 401, "invalid management key");
        Assert.Equal(bytes, G.DiskBytes("guarded.json"));
        var e = await G.RequireEntry("guarded.json");
        Assert.False((bool)e["disabled"]!);
        Assert.True(Mgmt.IsEmpty(e["prefix"]));
    }

    [Fact]
    public async Task Multipart_upload_without_a_key_is_401_and_writes_nothing()
    {
        var name = $"guarded-mp-{AuthKit.Marker()}.json";
        var r = await G.Send("POST", "/auth-files", AuthKit.Multipart([FilePart.Text("file", name, AuthKit.Credential("mp@example.com"))]), key: null);
        Mgmt.AssertError(r, 401, "missing management key");
        Assert.False(File.Exists(G.AuthPath(name)));
        Assert.Null(await G.Entry(name));
    }
}
