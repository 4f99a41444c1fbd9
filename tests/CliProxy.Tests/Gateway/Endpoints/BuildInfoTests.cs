using System.Globalization;
using System.Text.RegularExpressions;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// The build identity (issue 8, item 7): a real version, the commit and an RFC 3339 build date are
/// stamped at build time and sent in the <c>X-CPA-*</c> headers (spec §3.1), in <c>GET /healthz</c>
/// and as the OpenAPI document's <c>info.version</c>, all the same values.
/// </summary>
[Http]
public sealed partial class BuildInfoTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    [GeneratedRegex(@"^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$")]
    private static partial Regex SemVer();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")]
    private static partial Regex Rfc3339();

    [Fact]
    public async Task Headers_carry_a_semver_version_the_commit_and_an_rfc_3339_build_date()
    {
        var r = await G.Call("GET", "/debug");
        var version = r.Header("X-CPA-VERSION") ?? "";
        var commit = r.Header("X-CPA-COMMIT") ?? "";
        var date = r.Header("X-CPA-BUILD-DATE") ?? "";
        Assert.Matches(SemVer(), version);
        Assert.NotEqual("dev", version);
        Assert.Matches(Rfc3339(), date);
        var parsed = DateTimeOffset.Parse(date, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind);
        Assert.InRange(parsed, new DateTimeOffset(2020, 1, 1, 0, 0, 0, TimeSpan.Zero), DateTimeOffset.UtcNow.AddDays(1));
        // The tests are built from a git checkout: the commit is the checkout's abbreviated id.
        if (Directory.Exists(Path.Combine(TestPaths.RepoRoot, ".git")) || File.Exists(Path.Combine(TestPaths.RepoRoot, ".git")))
            Assert.Matches("^[0-9a-f]{7,40}$", commit);
        // A missed header would leave the panel at "vdev · Invalid Date".
        Assert.NotEqual("unknown", date);
    }

    [Fact]
    public async Task Healthz_and_the_openapi_document_carry_the_same_values()
    {
        var headers = await G.Call("GET", "/debug");
        var health = await G.Raw("GET", "/healthz");
        Assert.Equal(200, health.Status);
        var body = health.Json!.AsObject();
        Assert.Equal("ok", (string?)body["status"]);
        Assert.Equal(headers.Header("X-CPA-VERSION"), (string?)body["version"]);
        Assert.Equal(headers.Header("X-CPA-COMMIT"), (string?)body["commit"]);
        Assert.Equal(headers.Header("X-CPA-BUILD-DATE"), (string?)body["build_date"]);
        var openapi = (await G.Raw("GET", "/openapi/v1.json")).Json!;
        Assert.Equal(headers.Header("X-CPA-VERSION"), (string?)openapi["info"]!["version"]);
    }
}
