using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// CORS, the router's 404 and trailing-slash redirects (spec §1.3, correction 8), probes and the
/// OpenAPI document (correction 9). Nothing here changes the configuration.
/// </summary>
[Http]
public sealed class CorsAndRoutingTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    private static void AssertCors(Reply r)
    {
        Assert.Equal("*", r.Header("Access-Control-Allow-Origin"));
        Assert.Equal("GET, POST, PUT, PATCH, DELETE, OPTIONS", r.Header("Access-Control-Allow-Methods"));
    }

    [Theory]
    [InlineData("/v0/management/config")]
    [InlineData("/v0/management/config.yaml")]
    [InlineData("/v0/management/gemini-api-key")]
    [InlineData("/v0/management/no-such-route")]
    [InlineData("/healthz")]
    [InlineData("/anything/at/all")]
    public async Task Options_answers_204_without_auth_and_echoes_the_requested_headers(string path)
    {
        var r = await G.Raw("OPTIONS", path, headers:
        [
            ("Origin", "https://panel.example"), ("Access-Control-Request-Method", "PUT"),
            ("Access-Control-Request-Headers", "authorization, x-management-key, content-type"),
        ]);
        Assert.Equal(204, r.Status);
        Assert.Equal("", r.Body);
        AssertCors(r);
        var allowHeaders = r.Header("Access-Control-Allow-Headers") ?? "";
        foreach (var h in new[] { "authorization", "x-management-key", "content-type" }) Assert.Contains(h, allowHeaders, StringComparison.OrdinalIgnoreCase);
        var exposed = r.Header("Access-Control-Expose-Headers") ?? "";
        foreach (var h in new[] { "X-CPA-VERSION", "X-CPA-COMMIT", "X-CPA-BUILD-DATE" }) Assert.Contains(h, exposed, StringComparison.OrdinalIgnoreCase);
        Assert.Null(r.Header("X-CPA-VERSION"));
    }

    [Fact]
    public async Task Options_without_requested_headers_allows_any()
    {
        var r = await G.Raw("OPTIONS", "/v0/management/debug");
        Assert.Equal(204, r.Status);
        Assert.Equal("*", r.Header("Access-Control-Allow-Headers"));
    }

    [Fact]
    public async Task Every_response_carries_the_cors_headers()
    {
        AssertCors(await G.Call("GET", "/debug"));
        AssertCors(await G.Raw("GET", "/healthz"));
        AssertCors(await G.Raw("GET", "/v0/management/no-such-route"));
        AssertCors(await G.Call("PUT", "/debug", "not json"));
        var exposed = (await G.Call("GET", "/config")).Header("Access-Control-Expose-Headers") ?? "";
        Assert.Contains("X-CPA-VERSION", exposed, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Management_responses_carry_the_version_headers()
    {
        foreach (var r in new[] { await G.Call("GET", "/config"), await G.Call("PUT", "/debug", "{}"), await G.Call("GET", "/config.yaml"), await G.Call("DELETE", "/api-keys") })
        {
            Assert.False(string.IsNullOrEmpty(r.Header("X-CPA-VERSION")), r.ToString());
            Assert.False(string.IsNullOrEmpty(r.Header("X-CPA-COMMIT")), r.ToString());
            Assert.False(string.IsNullOrEmpty(r.Header("X-CPA-BUILD-DATE")), r.ToString());
        }
        Assert.Null((await G.Raw("GET", "/healthz")).Header("X-CPA-VERSION"));
    }

    [Theory]
    [InlineData("GET", "/v0/management/no-such-route")]
    [InlineData("GET", "/v0/management")]
    [InlineData("GET", "/v0/management/config/extra")]
    [InlineData("GET", "/v0/management/CONFIG")]
    [InlineData("GET", "/v0/management/ampcode/unknown")]
    [InlineData("GET", "/no-such-page")]
    [InlineData("POST", "/v0/management/config")]
    [InlineData("PUT", "/v0/management/config")]
    [InlineData("DELETE", "/v0/management/config")]
    [InlineData("PATCH", "/v0/management/config.yaml")]
    [InlineData("POST", "/v0/management/config.yaml")]
    [InlineData("DELETE", "/v0/management/config.yaml")]
    [InlineData("PUT", "/v0/management/latest-version")]
    [InlineData("POST", "/v0/management/api-keys")]
    [InlineData("POST", "/v0/management/gemini-api-key")]
    [InlineData("POST", "/v0/management/oauth-excluded-models")]
    [InlineData("DELETE", "/v0/management/logs-max-total-size-mb")]
    [InlineData("POST", "/v0/management/ampcode/upstream-api-keys")]
    [InlineData("PUT", "/healthz")]
    public async Task Unknown_routes_and_methods_answer_the_router_404_without_auth(string method, string path)
    {
        var r = await G.Raw(method, path, method == "GET" ? null : "{}");
        Assert.Equal(404, r.Status);
        Assert.Equal("404 page not found", r.Body);
        Assert.StartsWith("text/plain", Mgmt.ContentType(r) ?? "");
        Assert.Null(r.Header("X-CPA-VERSION"));
    }

    [Theory]
    [InlineData("GET", "/v0/management/config/", 301, "/v0/management/config")]
    [InlineData("GET", "/v0/management/quota-exceeded/switch-project/", 301, "/v0/management/quota-exceeded/switch-project")]
    [InlineData("GET", "/v0/management/api-keys/?x=1", 301, "/v0/management/api-keys?x=1")]
    [InlineData("PUT", "/v0/management/debug/", 307, "/v0/management/debug")]
    [InlineData("PATCH", "/v0/management/gemini-api-key/", 307, "/v0/management/gemini-api-key")]
    [InlineData("DELETE", "/v0/management/api-keys/?index=0", 307, "/v0/management/api-keys?index=0")]
    [InlineData("PUT", "/v0/management/config.yaml/", 307, "/v0/management/config.yaml")]
    [InlineData("GET", "/v0/management/model-definitions/claude/", 301, "/v0/management/model-definitions/claude")]
    [InlineData("GET", "/v0/management/model-definitions/claude/?x=%2F", 301, "/v0/management/model-definitions/claude?x=%2F")]
    [InlineData("GET", "/v0/management/model-definitions/?channel=claude", 301, "/v0/management/model-definitions?channel=claude")]
    [InlineData("POST", "/v0/management/vertex/import/", 307, "/v0/management/vertex/import")]
    [InlineData("GET", "/healthz/", 301, "/healthz")]
    public async Task Trailing_slash_redirects_to_the_path_without_it(string method, string path, int status, string location)
    {
        var file = G.FileText();
        using var client = Mgmt.NoRedirectClient(G);
        var r = await G.Raw(method, path, method == "GET" ? null : """{"value":true}""", [("Authorization", "Bearer " + Mgmt.Key)], client: client);
        Assert.Equal(status, r.Status);
        Assert.Equal(location, r.Response.Headers.Location?.OriginalString);
        Assert.Equal(file, G.FileText());
    }

    [Fact]
    public async Task Trailing_slash_redirects_on_every_mapped_management_route_and_method()
    {
        // Every route and method the gateway maps (its OpenAPI document), parameters filled in.
        var paths = (await G.Raw("GET", "/openapi/v1.json")).Json!["paths"]!.AsObject();
        using var client = Mgmt.NoRedirectClient(G);
        var file = G.FileText();
        var checkedRoutes = new List<string>();
        var wrong = new List<string>();
        foreach (var (template, operations) in paths)
        {
            var path = System.Text.RegularExpressions.Regex.Replace(template, @"\{[^}]+\}", "claude");
            foreach (var (method, _) in operations!.AsObject())
            {
                var verb = method.ToUpperInvariant();
                var r = await G.Raw(verb, path + "/?probe=1&x=a%2Fb", verb == "GET" ? null : "{}", client: client);
                var status = verb == "GET" ? 301 : 307;
                var location = path + "?probe=1&x=a%2Fb";
                if (r.Status != status || r.Response.Headers.Location?.OriginalString != location)
                    wrong.Add($"{verb} {path}/ → {r.Status} {r.Response.Headers.Location?.OriginalString} (expected {status} {location})");
                checkedRoutes.Add($"{verb} {path}");
            }
        }
        Assert.Empty(wrong);
        Assert.Contains("GET /v0/management/model-definitions/claude", checkedRoutes);
        Assert.True(checkedRoutes.Count > 60, $"only {checkedRoutes.Count} routes in the OpenAPI document");
        Assert.Equal(file, G.FileText());
    }

    [Theory]
    [InlineData("POST", "/v0/management/config/")]
    [InlineData("DELETE", "/v0/management/config.yaml/")]
    [InlineData("GET", "/v0/management/CONFIG/")]
    [InlineData("GET", "/v0/management/no-such-route/")]
    public async Task Trailing_slash_on_a_method_or_path_that_is_not_mapped_is_the_router_404(string method, string path)
    {
        using var client = Mgmt.NoRedirectClient(G);
        var r = await G.Raw(method, path, method == "GET" ? null : "{}", client: client);
        Assert.Equal(404, r.Status);
        Assert.Equal("404 page not found", r.Body);
    }

    [Fact]
    public async Task Health_probes_answer_200_without_auth()
    {
        Assert.Equal(200, (await G.Raw("GET", "/healthz")).Status);
        Assert.Equal(200, (await G.Raw("GET", "/readyz")).Status);
    }

    [Fact]
    public async Task Json_responses_use_the_json_content_type()
    {
        foreach (var r in new[] { await G.Call("GET", "/config"), await G.Call("GET", "/api-keys"), await G.Call("PUT", "/debug", "x"), await G.Call("GET", "/ampcode") })
            Assert.Equal("application/json; charset=utf-8", Mgmt.ContentType(r));
    }

    [Fact]
    public async Task Openapi_document_lists_every_management_route()
    {
        var r = await G.Raw("GET", "/openapi/v1.json");
        Assert.Equal(200, r.Status);
        Assert.StartsWith("application/json", Mgmt.ContentType(r) ?? "");
        var paths = r.Json!["paths"]!.AsObject();
        var expected = new Dictionary<string, string[]>
        {
            ["/config"] = ["get"],
            ["/config.yaml"] = ["get", "put"],
            ["/latest-version"] = ["get"],
            ["/api-keys"] = ["get", "put", "patch", "delete"],
            ["/oauth-excluded-models"] = ["get", "put", "patch", "delete"],
            ["/oauth-model-alias"] = ["get", "put", "patch", "delete"],
            ["/ampcode"] = ["get"],
            ["/ampcode/model-mappings"] = ["get", "put", "patch", "delete"],
            ["/ampcode/upstream-api-keys"] = ["get", "put", "patch", "delete"],
        };
        foreach (var l in ProviderListInfo.All) expected[l.Route] = ["get", "put", "patch", "delete"];
        foreach (var s in ScalarRoute.All) expected[s.Route] = s.Deletable ? ["get", "put", "patch", "delete"] : ["get", "put", "patch"];
        foreach (var (route, methods) in expected)
        {
            var path = Mgmt.Prefix + route;
            Assert.True(paths.ContainsKey(path), $"{path} missing from the OpenAPI document");
            var ops = paths[path]!.AsObject();
            foreach (var m in methods) Assert.True(ops.ContainsKey(m), $"{m.ToUpperInvariant()} {path} missing from the OpenAPI document");
        }
    }
}
