using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints.AuthFiles;

/// <summary>
/// <c>POST /vertex/import</c> (spec §4.9 with the corrections of defects 19 and 26): a Google
/// service-account key becomes <c>vertex-&lt;project&gt;.json</c> with the key re-encoded as PKCS#1,
/// mode 0600; a second key for the same project from another service account is refused.
/// Each test uses its own project id.
/// </summary>
[Http]
public sealed class VertexImportTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private TestGateway G => fixture.Gateway;

    /// <summary>Throwaway RSA keys, generated once per test run (key generation is slow on a busy machine).</summary>
    private static readonly Lazy<RSA[]> Keys = new(() => Enumerable.Range(0, 3).Select(_ => RSA.Create(2048)).ToArray());

    /// <summary>A throwaway RSA key (0–2) that the test must not dispose.</summary>
    private static RSA Key(int i) => Keys.Value[i];

    /// <summary>The input fixture with a fresh project id, client email and (unless given) throwaway key 0.</summary>
    private static (JsonObject Account, string Project, RSA Key) ServiceAccount(string stem, string? privateKey = null)
    {
        var project = $"{stem}-{AuthKit.Marker()}";
        var account = JsonNode.Parse(AuthKit.FixtureText("vertex-service-account-input-example.json"))!.AsObject();
        var rsa = Key(0);
        account["private_key"] = privateKey ?? rsa.ExportPkcs8PrivateKeyPem() + "\n";
        account["project_id"] = project;
        account["client_email"] = $"proxy-sa@{project}.iam.gserviceaccount.com";
        return (account, project, rsa);
    }

    private Task<Reply> Import(string? fileContent, string query = "", (string, string)[]? fields = null, string field = "file")
    {
        var parts = fileContent is null ? [] : new[] { FilePart.Text(field, "service-account.json", fileContent) };
        return G.Send("POST", "/vertex/import" + query, AuthKit.Multipart(parts, fields));
    }

    private void AssertImportAnswer(Reply r, string project, string email, string location)
    {
        Assert.True(r.Status == 200, $"expected 200, got {r}");
        Mgmt.AssertJson(new JsonObject
        {
            ["status"] = "ok",
            ["auth-file"] = G.AuthPath($"vertex-{project}.json"),
            ["project_id"] = project,
            ["email"] = email,
            ["location"] = location,
        }.ToJsonString(), r.Body);
    }

    [Fact]
    public async Task Import_stores_an_indented_vertex_credential_with_a_pkcs1_key()
    {
        var (account, project, rsa) = ServiceAccount("vx-ok");
        var email = (string)account["client_email"]!;
        var r = await Import(account.ToJsonString());
        AssertImportAnswer(r, project, email, "us-central1");

        var name = $"vertex-{project}.json";
        var path = G.AuthPath(name);
        Assert.True(File.Exists(path), $"{path} not written");
        Assert.Equal(Mode0600, File.GetUnixFileMode(path));
        var text = File.ReadAllText(path);
        Assert.StartsWith("{\n  \"service_account\": {\n", text);
        var stored = JsonNode.Parse(text)!.AsObject();
        Assert.Equal(["service_account", "project_id", "email", "location", "type"], stored.Select(kv => kv.Key).Where(k => k != "label"));
        Assert.Equal(project, (string?)stored["project_id"]);
        Assert.Equal(email, (string?)stored["email"]);
        Assert.Equal("us-central1", (string?)stored["location"]);
        Assert.Equal("vertex", (string?)stored["type"]);

        var sa = stored["service_account"]!.AsObject();
        foreach (var (key, value) in account)
            if (key != "private_key")
                Assert.True(JsonNode.DeepEquals(value, sa[key]), $"service_account.{key}: {sa[key]?.ToJsonString()} != {value?.ToJsonString()}");
        Assert.Equal(account.Count, sa.Count);
        var pem = (string)sa["private_key"]!;
        Assert.StartsWith("-----BEGIN RSA PRIVATE KEY-----", pem);
        Assert.Contains("-----END RSA PRIVATE KEY-----", pem);
        using var loaded = RSA.Create();
        loaded.ImportFromPem(pem);
        Assert.Equal(rsa.ExportParameters(false).Modulus, loaded.ExportParameters(false).Modulus);

        var e = await G.RequireEntry(name);
        Assert.Equal("vertex", (string?)e["type"]);
        Assert.Equal(email, (string?)e["email"]);
        Assert.Equal(AuthKit.AuthIndexOf(name), (string?)e["auth_index"]);
        AuthKit.AssertSameItems(AuthKit.CatalogIds("vertex"), await G.ModelIds(name), "vertex models");
    }

    [Fact]
    public async Task Location_comes_from_the_form_then_the_query_then_the_default()
    {
        var (a1, p1, k1) = ServiceAccount("vx-form");
        var (a2, p2, k2) = ServiceAccount("vx-query");
        AssertImportAnswer(await Import(a1.ToJsonString(), "?location=asia-east1", [("location", "europe-west4")]), p1, (string)a1["client_email"]!, "europe-west4");
        Assert.Equal("europe-west4", (string?)G.DiskJson($"vertex-{p1}.json")["location"]);
        AssertImportAnswer(await Import(a2.ToJsonString(), "?location=asia-east1", [("location", "")]), p2, (string)a2["client_email"]!, "asia-east1");
        Assert.Equal("asia-east1", (string?)G.DiskJson($"vertex-{p2}.json")["location"]);
    }

    [Fact]
    public async Task A_pkcs1_input_key_is_accepted_too()
    {
        var rsa = Key(1);
        var (account, project, _) = ServiceAccount("vx-pkcs1", rsa.ExportRSAPrivateKeyPem());
        AssertImportAnswer(await Import(account.ToJsonString()), project, (string)account["client_email"]!, "us-central1");
        using var loaded = RSA.Create();
        loaded.ImportFromPem((string)G.DiskJson($"vertex-{project}.json")["service_account"]!["private_key"]!);
        Assert.Equal(rsa.ExportParameters(false).Modulus, loaded.ExportParameters(false).Modulus);
    }

    [Fact]
    public async Task No_file_part_is_400()
    {
        Mgmt.AssertError(await Import(null, fields: [("location", "us-east1")]), 400, "file required");
        var (account, _, rsa) = ServiceAccount("vx-field");
        Mgmt.AssertError(await Import(account.ToJsonString(), field: "credential"), 400, "file required");
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("{\"type\":\"service_account\"")]
    public async Task Not_json_is_400(string content)
    {
        var before = AuthKit.Tree(G.AuthDir());
        Mgmt.AssertCodedError(await Import(content), 400, "invalid json");
        AuthKit.AssertSameTree(before, G.AuthDir());
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public async Task Missing_private_key_is_an_invalid_service_account(string? key)
    {
        var (account, project, rsa) = ServiceAccount("vx-nokey");
        if (key is null) account.Remove("private_key");
        else account["private_key"] = key;
        Mgmt.AssertCodedError(await Import(account.ToJsonString()), 400, "invalid service account", "service account missing private_key");
        Assert.False(File.Exists(G.AuthPath($"vertex-{project}.json")));
    }

    [Theory]
    [InlineData("-----BEGIN PRIVATE KEY-----\nFAKE-PLACEHOLDER-NOT-A-REAL-KEY\n-----END PRIVATE KEY-----\n")]
    [InlineData("-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n")]
    [InlineData("just some text")]
    public async Task Garbage_private_key_is_an_invalid_service_account(string key)
    {
        var (account, project, rsa) = ServiceAccount("vx-garbage", key);
        Mgmt.AssertCodedError(await Import(account.ToJsonString()), 400, "invalid service account");
        Assert.False(File.Exists(G.AuthPath($"vertex-{project}.json")));
    }

    [Theory]
    [InlineData("nistP256")]
    [InlineData("nistP384")]
    public async Task A_non_rsa_pkcs8_key_is_an_invalid_service_account_that_says_so(string curve)
    {
        using var ec = ECDsa.Create(ECCurve.CreateFromFriendlyName(curve));
        var (account, project, _) = ServiceAccount("vx-ec-" + curve.ToLowerInvariant(), ec.ExportPkcs8PrivateKeyPem());
        Mgmt.AssertCodedError(await Import(account.ToJsonString()), 400, "invalid service account", "private_key is not an RSA key");
        Assert.False(File.Exists(G.AuthPath($"vertex-{project}.json")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public async Task Missing_project_id_is_400(string? projectId)
    {
        var (account, _, rsa) = ServiceAccount("vx-noproject");
        if (projectId is null) account.Remove("project_id");
        else account["project_id"] = projectId;
        var before = AuthKit.Tree(G.AuthDir());
        Mgmt.AssertError(await Import(account.ToJsonString()), 400, "project_id missing");
        AuthKit.AssertSameTree(before, G.AuthDir());
    }

    [Theory]
    [InlineData("authorized_user")]
    [InlineData("external_account")]
    public async Task A_service_account_type_other_than_service_account_is_refused(string type)
    {
        var (account, project, rsa) = ServiceAccount("vx-type");
        account["type"] = type;
        var r = await Import(account.ToJsonString());
        Assert.True(r.Status == 400, $"expected 400, got {r}");
        Assert.Equal("invalid service account", (string?)r.Json!["error"]);
        Assert.False(File.Exists(G.AuthPath($"vertex-{project}.json")));
    }

    [Fact]
    public async Task Same_project_from_another_service_account_is_409_and_the_same_one_may_re_import()
    {
        var (account, project, rsa) = ServiceAccount("vx-conflict");
        var email = (string)account["client_email"]!;
        AssertImportAnswer(await Import(account.ToJsonString()), project, email, "us-central1");
        var name = $"vertex-{project}.json";
        var first = G.DiskBytes(name)!;

        var intruder = account.DeepClone().AsObject();
        intruder["client_email"] = $"other-sa@{project}.iam.gserviceaccount.com";
        intruder["private_key"] = Key(1).ExportPkcs8PrivateKeyPem();
        var r = await Import(intruder.ToJsonString());
        Assert.True(r.Status == 409, $"expected 409, got {r}");
        Assert.Equal("auth file exists", (string?)r.Json!["error"]);
        Assert.Equal(first, G.DiskBytes(name));

        var rotated = Key(2);
        account["private_key"] = rotated.ExportPkcs8PrivateKeyPem();
        AssertImportAnswer(await Import(account.ToJsonString(), "?location=europe-west1"), project, email, "europe-west1");
        var stored = G.DiskJson(name);
        Assert.Equal("europe-west1", (string?)stored["location"]);
        using var loaded = RSA.Create();
        loaded.ImportFromPem((string)stored["service_account"]!["private_key"]!);
        Assert.Equal(rotated.ExportParameters(false).Modulus, loaded.ExportParameters(false).Modulus);
        Assert.Single(await G.ListNames(), n => n == name);
    }
}
