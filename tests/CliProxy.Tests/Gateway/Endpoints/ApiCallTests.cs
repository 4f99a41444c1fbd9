using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Tests.Support.Outbound;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>A gateway and a loopback echo upstream for <c>POST /api-call</c>.</summary>
public sealed class ApiCallGateway : IAsyncLifetime
{
    /// <summary>The upstream.</summary>
    public EchoUpstream Upstream { get; private set; } = null!;

    /// <summary>The gateway.</summary>
    public TestGateway Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Upstream = await EchoUpstream.StartAsync();
        Gateway = await Mgmt.StartGatewayAsync(Mgmt.FullYaml);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}

/// <summary>
/// <c>POST /api-call</c> (spec §3) against an echo upstream on 127.0.0.1, with credentials uploaded through
/// the API: credential lookup by every <c>auth_index</c> spelling, <c>$TOKEN$</c>, proxy choice, Host
/// override, gzip, redirects, the body bound, the refused targets and the request errors.
/// </summary>
[Http]
public sealed class ApiCallTests(ApiCallGateway fixture) : IClassFixture<ApiCallGateway>
{
    private TestGateway G => fixture.Gateway;
    private EchoUpstream Up => fixture.Upstream;

    private static string Credential(string token, string proxyUrl = "") => new JsonObject
    {
        ["type"] = "claude", ["email"] = "api-call@example.com", ["access_token"] = token, ["proxy_url"] = proxyUrl,
    }.ToJsonString();

    private async Task<string> UploadAsync(string name, string json)
    {
        await G.Upload(name, json);
        return AuthKit.AuthIndexOf(name);
    }

    private Task<Reply> Call(object body) => G.Call("POST", "/api-call", JsonSerializer.Serialize(body));

    /// <summary>Asserts a 200 answer and returns its parts.</summary>
    private static (int Status, JsonObject Header, string Body) Answered(Reply r)
    {
        Assert.True(r.Status == 200, r.ToString());
        var json = r.Json!.AsObject();
        Assert.Equal(["status_code", "header", "body"], json.Select(p => p.Key));
        return ((int)json["status_code"]!, json["header"]!.AsObject(), (string)json["body"]!);
    }

    private static JsonObject Echo(Reply r) => JsonNode.Parse(Answered(r).Body)!.AsObject();

    [Theory]
    [InlineData("auth_index")]
    [InlineData("authIndex")]
    [InlineData("AuthIndex")]
    [InlineData("AUTH_INDEX")]
    public async Task The_credential_of_any_auth_index_spelling_gives_its_token_to_TOKEN(string spelling)
    {
        var index = await UploadAsync($"api-call-{spelling}.json", Credential($"tok-{spelling}-0123456789"));
        var r = await Call(new Dictionary<string, object>
        {
            [spelling] = " " + index + " ", ["method"] = " post ", ["url"] = $"{Up.Url}/echo/x?y=1",
            ["header"] = new Dictionary<string, string> { ["authorization"] = "Bearer $TOKEN$", ["x-both"] = "$TOKEN$|$TOKEN$" },
            ["data"] = """{"a":1}""",
        });
        var echo = Echo(r);
        Assert.Equal("POST", (string?)echo["method"]);
        Assert.Equal("/echo/x", (string?)echo["path"]);
        Assert.Equal("?y=1", (string?)echo["query"]);
        Assert.Equal($"Bearer tok-{spelling}-0123456789", (string?)echo["headers"]!["Authorization"]);
        Assert.Equal($"tok-{spelling}-0123456789|tok-{spelling}-0123456789", (string?)echo["headers"]!["X-Both"]);
        Assert.Equal("""{"a":1}""", (string?)echo["body"]);
        Assert.Null(echo["headers"]!["Content-Type"]); // none added
        Assert.Equal(["application/json; charset=utf-8"], Answered(r).Header["Content-Type"]!.AsArray().Select(v => (string?)v));
    }

    [Fact]
    public async Task The_first_non_blank_spelling_wins()
    {
        var index = await UploadAsync("api-call-first.json", Credential("tok-first-0123456789"));
        var r = await Call(new Dictionary<string, object>
        {
            ["auth_index"] = "  ", ["authIndex"] = index, ["AuthIndex"] = "0000000000000000", ["method"] = "GET",
            ["url"] = $"{Up.Url}/echo/first", ["header"] = new Dictionary<string, string> { ["X-Token"] = "$TOKEN$" },
        });
        Assert.Equal("tok-first-0123456789", (string?)Echo(r)["headers"]!["X-Token"]);
    }

    [Fact]
    public async Task Without_a_known_credential_the_placeholder_is_sent_as_it_is()
    {
        var r = await Call(new { auth_index = "ffffffffffffffff", method = "GET", url = $"{Up.Url}/echo/none", header = new Dictionary<string, string> { ["X-Token"] = "$TOKEN$" } });
        Assert.Equal("$TOKEN$", (string?)Echo(r)["headers"]!["X-Token"]);
    }

    [Fact]
    public async Task A_credential_without_a_token_is_400_auth_token_not_found()
    {
        var index = await UploadAsync("api-call-empty.json", """{"type":"claude","email":"empty@example.com"}""");
        var r = await Call(new { auth_index = index, method = "GET", url = $"{Up.Url}/echo/x", header = new Dictionary<string, string> { ["Authorization"] = "Bearer $TOKEN$" } });
        Mgmt.AssertError(r, 400, "auth token not found");
        // Headers without the placeholder need no token.
        var plain = await Call(new { auth_index = index, method = "GET", url = $"{Up.Url}/echo/x", header = new Dictionary<string, string> { ["X-A"] = "b" } });
        Assert.Equal("b", (string?)Echo(plain)["headers"]!["X-A"]);
    }

    [Fact]
    public async Task The_upstream_status_headers_and_body_come_back_with_200()
    {
        var r = await Call(new { method = "GET", url = $"{Up.Url}/status/429" });
        var (status, header, body) = Answered(r);
        Assert.Equal(429, status);
        Assert.Equal(["17"], header["Retry-After"]!.AsArray().Select(v => (string?)v));
        Assert.Equal("""{"error":"slow down"}""", body);
        Assert.Null(header["Transfer-Encoding"]);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("not json")]
    [InlineData("""{"method":1,"url":"http://x"}""")]
    [InlineData("""{"method":"GET","url":"http://x","header":{"a":1}}""")]
    [InlineData("""{"method":"GET","url":"http://x","header":[]}""")]
    [InlineData("""{"method":"GET","url":"http://x","data":{}}""")]
    [InlineData("""{"method":"GET","url":"http://x","auth_index":5}""")]
    public async Task Malformed_bodies_are_400_invalid_body(string body)
    {
        Mgmt.AssertError(await G.Call("POST", "/api-call", body), 400, "invalid body");
    }

    [Theory]
    [InlineData("""{"url":"http://x"}""", "missing method")]
    [InlineData("""{"method":"  ","url":"http://x"}""", "missing method")]
    [InlineData("""{"method":"GET"}""", "missing url")]
    [InlineData("""{"method":"GET","url":" "}""", "missing url")]
    [InlineData("""{"method":"GET","url":"localhost:8080"}""", "invalid url")]
    [InlineData("""{"method":"GET","url":"/relative/path"}""", "invalid url")]
    [InlineData("""{"method":"GE T","url":"http://127.0.0.1:1/x"}""", "failed to build request")]
    [InlineData("null", "missing method")]
    public async Task Request_errors_use_the_references_messages(string body, string error)
    {
        Mgmt.AssertError(await G.Call("POST", "/api-call", body), 400, error);
    }

    [Fact]
    public async Task An_unreachable_upstream_is_502_request_failed()
    {
        var port = FreePort.Next();
        Mgmt.AssertError(await Call(new { method = "GET", url = $"http://127.0.0.1:{port}/x" }), 502, "request failed");
    }

    [Fact]
    public async Task A_host_header_overrides_the_request_host_only()
    {
        var r = await Call(new { method = "GET", url = $"{Up.Url}/echo/host", header = new Dictionary<string, string> { ["host"] = " api.example.test " } });
        Assert.Equal("api.example.test", (string?)Echo(r)["headers"]!["Host"]);
    }

    [Fact]
    public async Task Gzip_is_undone_unless_the_caller_asked_for_an_encoding()
    {
        var (_, header, body) = Answered(await Call(new { method = "GET", url = $"{Up.Url}/gzip" }));
        Assert.Equal("compressed hello", body);
        Assert.Null(header["Content-Encoding"]);
        Assert.Null(header["Content-Length"]);
        var (_, rawHeader, rawBody) = Answered(await Call(new { method = "GET", url = $"{Up.Url}/gzip", header = new Dictionary<string, string> { ["Accept-Encoding"] = "gzip" } }));
        Assert.Equal(["gzip"], rawHeader["Content-Encoding"]!.AsArray().Select(v => (string?)v));
        Assert.NotEqual("compressed hello", rawBody);
    }

    [Theory]
    [InlineData(301, "GET", "")]
    [InlineData(302, "GET", "")]
    [InlineData(303, "GET", "")]
    [InlineData(307, "PUT", "payload")]
    [InlineData(308, "PUT", "payload")]
    public async Task Redirects_are_followed_as_gos_client_does(int code, string method, string body)
    {
        var r = await Call(new { method = "PUT", url = $"{Up.Url}/redirect/{code}?to=/echo/after", data = "payload" });
        var echo = Echo(r);
        Assert.Equal("/echo/after", (string?)echo["path"]);
        Assert.Equal(method, (string?)echo["method"]);
        Assert.Equal(body, (string?)echo["body"]);
    }

    [Fact]
    public async Task Credentials_are_not_carried_to_another_host_on_a_redirect()
    {
        var elsewhere = Uri.EscapeDataString($"http://localhost:{Up.Port}/echo/elsewhere");
        var r = await Call(new
        {
            method = "GET", url = $"{Up.Url}/redirect/302?to={elsewhere}",
            header = new Dictionary<string, string> { ["Authorization"] = "Bearer secret-value", ["X-Kept"] = "yes" },
        });
        var headers = Echo(r)["headers"]!.AsObject();
        Assert.Null(headers["Authorization"]);
        Assert.Equal("yes", (string?)headers["X-Kept"]);
        // Same host: kept.
        var same = await Call(new
        {
            method = "GET", url = $"{Up.Url}/redirect/302?to=/echo/same", header = new Dictionary<string, string> { ["Authorization"] = "Bearer secret-value" },
        });
        Assert.Equal("Bearer secret-value", (string?)Echo(same)["headers"]!["Authorization"]);
    }

    [Fact]
    public async Task Ten_requests_at_most_then_502_request_failed()
    {
        int before;
        lock (Up.Requests) before = Up.Requests.Count(q => q.Target == "/loop");
        Mgmt.AssertError(await Call(new { method = "GET", url = $"{Up.Url}/loop" }), 502, "request failed");
        lock (Up.Requests) Assert.Equal(10, Up.Requests.Count(q => q.Target == "/loop") - before);
    }

    [Fact]
    public async Task A_body_over_the_bound_is_502_response_too_large()
    {
        var (_, _, body) = Answered(await Call(new { method = "GET", url = $"{Up.Url}/bytes/1000" }));
        Assert.Equal(1000, body.Length);
        Mgmt.AssertError(await Call(new { method = "GET", url = $"{Up.Url}/bytes/{16 * 1024 * 1024 + 1}" }), 502, "response too large");
    }

    [Fact]
    public async Task The_gateways_own_port_management_routes_and_link_local_addresses_are_refused()
    {
        foreach (var url in new[]
                 {
                     $"http://127.0.0.1:{G.Port}/v1internal:generateContent",
                     $"http://localhost:{Up.Port}/v0/management/config",
                     $"http://[::1]:{Up.Port}/v0/management/config",
                     $"http://0.0.0.0:{G.Port}/keep-alive",
                     "http://169.254.169.254/latest/meta-data/",
                 })
        {
            var r = await Call(new { method = "GET", url });
            Assert.True(r.Status == 403, $"{url}: {r}");
            Assert.StartsWith("target refused: ", (string?)r.Json!["error"]);
        }
        // Also when a redirect leads there; the refused hop is not sent.
        var hidden = Uri.EscapeDataString($"http://127.0.0.1:{Up.Port}/v0/management/config");
        var redirected = await Call(new { method = "GET", url = $"{Up.Url}/redirect/302?to={hidden}" });
        Assert.Equal(403, redirected.Status);
        lock (Up.Requests) Assert.DoesNotContain(Up.Requests, q => q.Target.StartsWith("/v0/management", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_credentials_proxy_wins_then_the_configs_then_a_direct_connection()
    {
        await using var own = new FakeHttpProxy();
        await using var global = new FakeHttpProxy();
        var withProxy = await UploadAsync("api-call-proxy.json", Credential("tok-proxy-0123456789", $"http://127.0.0.1:{own.Port}"));
        var badProxy = await UploadAsync("api-call-badproxy.json", Credential("tok-bad-0123456789", "ftp://nowhere.example"));
        var noProxy = await UploadAsync("api-call-noproxy.json", Credential("tok-none-0123456789"));
        try
        {
            await G.Ok("PUT", "/proxy-url", JsonSerializer.Serialize(new { value = $"http://127.0.0.1:{global.Port}" }));
            Echo(await Call(new { auth_index = withProxy, method = "GET", url = $"{Up.Url}/echo/own" }));
            Assert.Contains(own.Requests, h => h[0] == $"GET {Up.Url}/echo/own HTTP/1.1");
            Echo(await Call(new { auth_index = badProxy, method = "GET", url = $"{Up.Url}/echo/bad" }));
            Assert.Contains(global.Requests, h => h[0] == $"GET {Up.Url}/echo/bad HTTP/1.1");
            Echo(await Call(new { auth_index = noProxy, method = "GET", url = $"{Up.Url}/echo/global" }));
            Assert.Contains(global.Requests, h => h[0] == $"GET {Up.Url}/echo/global HTTP/1.1");
        }
        finally
        {
            await G.Ok("DELETE", "/proxy-url");
        }
        Echo(await Call(new { auth_index = noProxy, method = "GET", url = $"{Up.Url}/echo/direct" }));
        Assert.DoesNotContain(global.Requests, h => h[0].Contains("/echo/direct", StringComparison.Ordinal));
        Assert.DoesNotContain(own.Requests, h => h[0].Contains("/echo/direct", StringComparison.Ordinal));
    }
}
