using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// Scalar settings (spec §7 with correction 5): GET/PUT/PATCH/DELETE shapes, strict body decoding,
/// normalisation, negative retry values, and that a write of the current value leaves config.yaml
/// untouched. Every test sets the values it asserts on first.
/// </summary>
[Http]
public sealed class ScalarSettingsTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    public static TheoryData<string> Routes => ScalarRoute.Routes();

    /// <summary>
    /// Per route one body that is not JSON and one of the wrong type; every invalid body of every route
    /// is a theory of the resource (<c>Domain/Config/ScalarSettingRulesTests</c>).
    /// </summary>
    public static TheoryData<string, string> InvalidBodies
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var r in ScalarRoute.All)
                foreach (var b in new[] { "not json", r.InvalidBodies().Last() })
                    data.Add(r.Route, b);
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Put_and_patch_store_the_value_and_get_reads_it_back(string route)
    {
        var s = ScalarRoute.Of(route);
        foreach (var (method, value) in new[] { ("PUT", s.ValueA), ("PATCH", s.ValueB), ("PATCH", s.ValueA), ("PUT", s.ValueB) })
        {
            var r = await G.Call(method, route, $$"""{"value":{{value}}}""");
            Mgmt.AssertOk(r, $"{method} {route} {value}");
            Mgmt.AssertJson($$"""{"{{s.Key}}":{{value}}}""", (await G.Call("GET", route)).Body);
        }
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task A_change_is_visible_in_get_config_and_in_the_file(string route)
    {
        var s = ScalarRoute.Of(route);
        await G.Ok("PUT", route, $$"""{"value":{{s.ValueB}}}""");
        await G.Ok("PUT", route, $$"""{"value":{{s.ValueA}}}""");
        var config = await G.GetJson("/config");
        var node = route switch
        {
            "/quota-exceeded/switch-project" => config["quota-exceeded"]!["switch-project"],
            "/quota-exceeded/switch-preview-model" => config["quota-exceeded"]!["switch-preview-model"],
            "/routing/strategy" => config["routing"]!["strategy"],
            _ when route.StartsWith("/ampcode/") => config["ampcode"]![s.Key],
            _ => config[s.Key],
        };
        Mgmt.AssertJson(s.ValueA, node);
        var expectedYamlValue = JsonNode.Parse(s.ValueA)!.ToString();
        Assert.Matches($@"(?m)^\s*{s.YamlKey}: ['""]?{System.Text.RegularExpressions.Regex.Escape(expectedYamlValue)}['""]?(\s+#.*)?$", G.FileText());
    }

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public async Task Invalid_bodies_answer_400_invalid_body_and_change_nothing(string route, string body)
    {
        var s = ScalarRoute.Of(route);
        await G.Ok("PUT", route, $$"""{"value":{{s.ValueA}}}""");
        var file = G.FileText();
        foreach (var method in new[] { "PUT", "PATCH" })
        {
            var r = await G.Call(method, route, body);
            Mgmt.AssertError(r, 400, "invalid body");
        }
        Mgmt.AssertJson($$"""{"{{s.Key}}":{{s.ValueA}}}""", (await G.Call("GET", route)).Body);
        Assert.Equal(file, G.FileText());
    }

    [Fact]
    public async Task Missing_body_answers_400_invalid_body()
    {
        var r = await G.Call("PUT", "/debug", body: null);
        Mgmt.AssertError(r, 400, "invalid body");
        r = await G.Call("PATCH", "/request-retry", body: null);
        Mgmt.AssertError(r, 400, "invalid body");
    }

    [Fact]
    public async Task Property_names_match_case_insensitively_and_the_last_duplicate_wins()
    {
        await G.Ok("PUT", "/request-retry", """{"VALUE":4}""");
        Mgmt.AssertJson("""{"request-retry":4}""", (await G.Call("GET", "/request-retry")).Body);
        await G.Ok("PUT", "/request-retry", """{"value":1,"Value":6}""");
        Mgmt.AssertJson("""{"request-retry":6}""", (await G.Call("GET", "/request-retry")).Body);
        await G.Ok("PATCH", "/debug", """{"Value":true,"unknown":"ignored"}""");
        Mgmt.AssertJson("""{"debug":true}""", (await G.Call("GET", "/debug")).Body);
    }

    [Fact]
    public async Task Bound_mode_reads_the_first_json_value_and_ignores_trailing_bytes()
    {
        await G.Ok("PUT", "/max-retry-interval", """{"value":12} trailing garbage""");
        Mgmt.AssertJson("""{"max-retry-interval":12}""", (await G.Call("GET", "/max-retry-interval")).Body);
        await G.Ok("PATCH", "/max-retry-interval", """{"value":13}{"value":99}""");
        Mgmt.AssertJson("""{"max-retry-interval":13}""", (await G.Call("GET", "/max-retry-interval")).Body);
    }

    [Fact]
    public async Task Content_type_of_the_request_is_ignored()
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, Mgmt.Prefix + "/logs-max-total-size-mb")
        {
            Content = new StringContent("""{"value":77}""", System.Text.Encoding.UTF8, "text/plain"),
        };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Mgmt.Key);
        var response = await G.Client.SendAsync(request);
        Assert.Equal(200, (int)response.StatusCode);
        Mgmt.AssertJson("""{"logs-max-total-size-mb":77}""", (await G.Call("GET", "/logs-max-total-size-mb")).Body);
    }

    [Theory]
    [InlineData("PUT", -1, 0)]
    [InlineData("PATCH", -500, 0)]
    public async Task Negative_logs_max_total_size_is_stored_as_zero(string method, int value, int stored)
    {
        await G.Ok("PUT", "/logs-max-total-size-mb", """{"value":64}""");
        await G.Ok(method, "/logs-max-total-size-mb", $$"""{"value":{{value}}}""");
        Mgmt.AssertJson($$"""{"logs-max-total-size-mb":{{stored}}}""", (await G.Call("GET", "/logs-max-total-size-mb")).Body);
        Assert.Matches(@"(?m)^logs-max-total-size-mb: 0(\s|$)", G.FileText());
    }

    [Theory]
    [InlineData("PUT", -1)]
    [InlineData("PATCH", -3)]
    public async Task Negative_error_logs_max_files_is_stored_as_ten(string method, int value)
    {
        await G.Ok("PUT", "/error-logs-max-files", """{"value":4}""");
        await G.Ok(method, "/error-logs-max-files", $$"""{"value":{{value}}}""");
        Mgmt.AssertJson("""{"error-logs-max-files":10}""", (await G.Call("GET", "/error-logs-max-files")).Body);
        Assert.Matches(@"(?m)^error-logs-max-files: 10(\s|$)", G.FileText());
    }

    [Theory]
    [InlineData("/request-retry", "PUT", -1)]
    [InlineData("/request-retry", "PATCH", -7)]
    [InlineData("/max-retry-interval", "PUT", -1)]
    [InlineData("/max-retry-interval", "PATCH", -30)]
    public async Task Negative_retry_values_answer_400_and_change_nothing(string route, string method, int value)
    {
        var key = route.TrimStart('/');
        await G.Ok("PUT", route, """{"value":2}""");
        var file = G.FileText();
        var r = await G.Call(method, route, $$"""{"value":{{value}}}""");
        Mgmt.AssertError(r, 400, "value must not be negative");
        Mgmt.AssertJson($$"""{"{{key}}":2}""", (await G.Call("GET", route)).Body);
        Assert.Equal(file, G.FileText());
    }

    [Fact]
    public async Task Zero_retry_values_are_accepted()
    {
        await G.Ok("PUT", "/request-retry", """{"value":0}""");
        await G.Ok("PATCH", "/max-retry-interval", """{"value":0}""");
        Mgmt.AssertJson("""{"request-retry":0}""", (await G.Call("GET", "/request-retry")).Body);
        Mgmt.AssertJson("""{"max-retry-interval":0}""", (await G.Call("GET", "/max-retry-interval")).Body);
    }

    [Theory]
    [InlineData("fill-first", "fill-first")]
    [InlineData("FF", "fill-first")]
    [InlineData(" FillFirst ", "fill-first")]
    [InlineData("round-robin", "round-robin")]
    [InlineData("RoundRobin", "round-robin")]
    [InlineData(" rr ", "round-robin")]
    [InlineData("", "round-robin")]
    public async Task Routing_strategy_is_stored_in_canonical_form(string value, string canonical)
    {
        var other = canonical == "fill-first" ? "round-robin" : "fill-first";
        await G.Ok("PUT", "/routing/strategy", $$"""{"value":"{{other}}"}""");
        await G.Ok("PATCH", "/routing/strategy", new JsonObject { ["value"] = value }.ToJsonString());
        Mgmt.AssertJson($$"""{"strategy":"{{canonical}}"}""", (await G.Call("GET", "/routing/strategy")).Body);
        Assert.Matches($@"(?m)^  strategy: ""?{canonical}""?(\s|$)", G.FileText());
    }

    [Theory]
    [InlineData("random")]
    [InlineData("least-used")]
    [InlineData("fill first")]
    public async Task Unknown_routing_strategy_answers_400_invalid_strategy(string value)
    {
        await G.Ok("PUT", "/routing/strategy", """{"value":"fill-first"}""");
        var file = G.FileText();
        foreach (var method in new[] { "PUT", "PATCH" })
            Mgmt.AssertError(await G.Call(method, "/routing/strategy", $$"""{"value":"{{value}}"}"""), 400, "invalid strategy");
        Mgmt.AssertJson("""{"strategy":"fill-first"}""", (await G.Call("GET", "/routing/strategy")).Body);
        Assert.Equal(file, G.FileText());
    }

    [Fact]
    public async Task Proxy_url_is_stored_verbatim_without_trimming()
    {
        await G.Ok("PUT", "/proxy-url", """{"value":"  socks5://spaced:1080  "}""");
        Mgmt.AssertJson("""{"proxy-url":"  socks5://spaced:1080  "}""", (await G.Call("GET", "/proxy-url")).Body);
    }

    [Theory]
    [InlineData("/ampcode/upstream-url", "upstream-url", "  https://amp.trim.example  ", "https://amp.trim.example")]
    [InlineData("/ampcode/upstream-api-key", "upstream-api-key", "\tamp-secret-9 ", "amp-secret-9")]
    public async Task Ampcode_strings_are_trimmed(string route, string key, string value, string stored)
    {
        await G.Ok("PUT", route, new JsonObject { ["value"] = value }.ToJsonString());
        Mgmt.AssertJson(new JsonObject { [key] = stored }.ToJsonString(), (await G.Call("GET", route)).Body);
    }

    [Theory]
    [InlineData("/proxy-url", "proxy-url", "socks5://x:1")]
    [InlineData("/ampcode/upstream-url", "upstream-url", "https://amp.delete.example")]
    [InlineData("/ampcode/upstream-api-key", "upstream-api-key", "amp-delete-me")]
    public async Task Delete_of_a_string_setting_empties_it(string route, string key, string value)
    {
        await G.Ok("PUT", route, new JsonObject { ["value"] = value }.ToJsonString());
        var r = await G.Call("DELETE", route);
        Mgmt.AssertOk(r, "DELETE " + route);
        Mgmt.AssertJson(new JsonObject { [key] = "" }.ToJsonString(), (await G.Call("GET", route)).Body);
        Assert.DoesNotContain(value, G.FileText());
        // Again on an already empty value: still 200.
        Mgmt.AssertOk(await G.Call("DELETE", route), "second DELETE " + route);
    }

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Writing_the_current_value_leaves_config_yaml_untouched(string route)
    {
        var s = ScalarRoute.Of(route);
        await G.Ok("PUT", route, $$"""{"value":{{s.ValueA}}}""");
        var file = G.FileText();
        var etag = (await G.Call("GET", "/config.yaml")).Header("ETag");
        var current = (await G.GetJson(route))[s.Key]!.ToJsonString();
        foreach (var method in new[] { "PUT", "PATCH" })
            Mgmt.AssertOk(await G.Call(method, route, $$"""{"value":{{current}}}"""), $"{method} {route} {current}");
        Assert.Equal(file, G.FileText());
        Assert.Equal(etag, (await G.Call("GET", "/config.yaml")).Header("ETag"));
    }

    [Theory]
    [InlineData("DELETE", "/debug")]
    [InlineData("DELETE", "/request-retry")]
    [InlineData("DELETE", "/routing/strategy")]
    [InlineData("DELETE", "/ampcode/force-model-mappings")]
    [InlineData("POST", "/debug")]
    [InlineData("POST", "/proxy-url")]
    public async Task Methods_a_setting_does_not_have_answer_the_router_404(string method, string route)
    {
        var r = await G.Call(method, route, method == "POST" ? """{"value":true}""" : null);
        Assert.Equal(404, r.Status);
        Assert.Equal("404 page not found", r.Body);
    }
}

/// <summary>One gateway on fixtures/config/minimal.yaml (key "change-me").</summary>
public sealed class MinimalConfigGateway : IAsyncLifetime
{
    /// <summary>The plaintext management key of minimal.yaml.</summary>
    public const string Key = "change-me";

    /// <summary>The running gateway.</summary>
    public TestGateway Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Gateway = await Mgmt.StartGatewayAsync(Mgmt.MinimalYaml);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>
/// Correction 5 on a file that lacks most keys (fixtures/config/minimal.yaml): writing a setting's
/// default value does not add the key; the file stays byte-identical. Nothing here changes a value.
/// </summary>
[Http]
public sealed class ScalarDefaultsTests(MinimalConfigGateway fixture) : IClassFixture<MinimalConfigGateway>
{
    private TestGateway G => fixture.Gateway;

    public static TheoryData<string> Routes => ScalarRoute.Routes();

    [Theory]
    [MemberData(nameof(Routes))]
    public async Task Writing_the_default_does_not_add_the_key(string route)
    {
        var s = ScalarRoute.Of(route);
        var file = G.FileText();
        Mgmt.AssertJson($$"""{"{{s.Key}}":{{s.Default}}}""", (await G.Call("GET", route, key: MinimalConfigGateway.Key)).Body);
        foreach (var method in new[] { "PUT", "PATCH" })
            Mgmt.AssertOk(await G.Call(method, route, $$"""{"value":{{s.Default}}}""", key: MinimalConfigGateway.Key), $"{method} {route}");
        if (s.Deletable) Mgmt.AssertOk(await G.Call("DELETE", route, key: MinimalConfigGateway.Key), "DELETE " + route);
        Assert.Equal(file, G.FileText());
    }

    [Theory]
    [InlineData("rr")]
    [InlineData("RoundRobin")]
    [InlineData("")]
    public async Task Round_robin_aliases_are_the_default_and_are_not_added(string value)
    {
        var file = G.FileText();
        Mgmt.AssertOk(await G.Call("PUT", "/routing/strategy", $$"""{"value":"{{value}}"}""", key: MinimalConfigGateway.Key));
        Assert.Equal(file, G.FileText());
    }
}

/// <summary>A non-default scalar write on minimal.yaml adds its key and keeps every other line.</summary>
[Http]
public sealed class ScalarAddsKeyTests(MinimalConfigGateway fixture) : IClassFixture<MinimalConfigGateway>
{
    private TestGateway G => fixture.Gateway;

    [Fact]
    public async Task A_non_default_value_adds_the_key_and_keeps_every_existing_line()
    {
        var before = G.FileText();
        Mgmt.AssertOk(await G.Call("PUT", "/routing/strategy", """{"value":"fill-first"}""", key: MinimalConfigGateway.Key));
        Mgmt.AssertOk(await G.Call("PUT", "/request-retry", """{"value":2}""", key: MinimalConfigGateway.Key));
        var after = G.FileText();
        var (removed, added) = Mgmt.LineDiff(before, after);
        Assert.True(removed.All(string.IsNullOrEmpty), "lines removed: " + string.Join(" | ", removed));
        Assert.Contains(added, l => l.TrimEnd() == "request-retry: 2");
        Assert.Contains(added, l => l.TrimEnd() == "routing:");
        Assert.Contains(added, l => l.Trim() == "strategy: fill-first");
        Mgmt.AssertJson("""{"strategy":"fill-first"}""", (await G.Call("GET", "/routing/strategy", key: MinimalConfigGateway.Key)).Body);
    }
}
