using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>The data plane end to end (issue 12): client keys, routing, rewriting, forwarding, streaming, failures, usage.</summary>
[Http]
public sealed class ProxyForwardingTests(ProxyGateway fixture) : IClassFixture<ProxyGateway>
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private HttpRequestMessage Chat(string model, bool stream = false, string? key = ProxyGateway.ClientKey, string query = "")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions" + query)
        {
            Content = new StringContent(new JsonObject { ["model"] = model, ["stream"] = stream, ["messages"] = new JsonArray() }.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return request;
    }

    private async Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(HttpRequestMessage request)
    {
        var response = await fixture.Gateway.Client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    private (string Authorization, string Target, JsonObject Body, Dictionary<string, string> Headers)[] UpstreamFor(string model) =>
        [.. fixture.Upstream.Requests.Where(r => ((string?)r.Body["model"])?.StartsWith(model, StringComparison.Ordinal) == true)];

    [Fact]
    public async Task A_call_goes_upstream_with_the_upstream_key_the_rewritten_model_and_no_client_key()
    {
        var (status, body, _) = await SendAsync(Chat("team/short(high)", query: "?key=" + ProxyGateway.ClientKey + "&foo=1"));
        Assert.Equal(200, status);
        Assert.Contains("\"model\":\"up-model(high)\"", body);
        var sent = Assert.Single(UpstreamFor("up-model"));
        Assert.Equal("Bearer k-ok", sent.Authorization);
        Assert.Equal("/v1/chat/completions?foo=1", sent.Target);
        Assert.Equal("yes", sent.Headers["X-Extra"]);
        var record = Assert.Single(fixture.Usage.Records, r => r.Model == "up-model");
        Assert.Equal((ProxyGateway.ClientKey, "fake", false, 3L, 5L, 8L), (record.ClientKey, record.Provider, record.Failed, record.Tokens.Input, record.Tokens.Output, record.Tokens.Total));
        Assert.Equal("POST /v1/chat/completions", record.Route);
    }

    [Fact]
    public async Task The_configs_payload_rules_change_the_body_sent_upstream()
    {
        var request = Chat("p-model");
        request.Content = new StringContent("""{"model":"p-model","temperature":0.9,"max_tokens":4000,"messages":[{"role":"user","content":"hi"}]}""",
            Encoding.UTF8, "application/json");
        var (status, _, _) = await SendAsync(request);

        Assert.Equal(200, status);
        var sent = Assert.Single(fixture.Upstream.Requests, r => (string?)r.Body["model"] == "p-model").Body;
        Assert.Equal((0.9, "a", 64), ((double)sent["temperature"]!, (string?)sent["metadata"]!["team"], (int)sent["max_tokens"]!));
        Assert.Single(sent["messages"]!.AsArray()); // the filter is for Claude upstreams only
    }

    [Fact]
    public async Task A_whole_answer_goes_out_with_the_upstreams_length_and_a_stream_without_one()
    {
        var (status, body, response) = await SendAsync(Chat("w-model"));
        Assert.Equal(200, status);
        // The header as sent (ContentLength itself would report the length of the buffered body).
        Assert.Equal(Encoding.UTF8.GetByteCount(body).ToString(System.Globalization.CultureInfo.InvariantCulture), SentLength(response));
        Assert.Contains("\"model\":\"w-model\"", body);
        // The fake holds the stream's rest (another test releases it); its headers are what counts here.
        using var stream = await fixture.Gateway.Client.SendAsync(Chat("w-model", stream: true), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal((200, null), ((int)stream.StatusCode, SentLength(stream)));
    }

    private static string? SentLength(HttpResponseMessage response) =>
        response.Content.Headers.NonValidated.TryGetValues("Content-Length", out var values) ? values.ToString() : null;

    [Fact]
    public async Task Client_keys_are_checked_with_flat_error_bodies()
    {
        Assert.Equal((401, """{"error":"Missing API key"}"""), (await SendAsync(Chat("short", key: null))) is var m ? (m.Status, m.Body) : default);
        Assert.Equal((401, """{"error":"Invalid API key"}"""), (await SendAsync(Chat("short", key: "nope"))) is var i ? (i.Status, i.Body) : default);
        var goog = Chat("short", key: null);
        goog.Headers.Add("X-Goog-Api-Key", ProxyGateway.ClientKey);
        Assert.Equal(200, (await SendAsync(goog)).Status);
        // Refused calls are counted (as 401, without a client), and the key check comes before a Gemini route's 404.
        Assert.Equal(2, fixture.Metrics.Requests.Count(r => r is { Route: "POST /v1/chat/completions", Status: 401, ClientKey: "" }));
        var unknownAction = new HttpRequestMessage(HttpMethod.Post, "/v1beta/models/g:unknownAction") { Content = new StringContent("{}") };
        Assert.Equal(401, (await SendAsync(unknownAction)).Status);
        var keyed = new HttpRequestMessage(HttpMethod.Post, "/v1beta/models/g:unknownAction?key=" + ProxyGateway.ClientKey) { Content = new StringContent("{}") };
        Assert.Equal(404, (await SendAsync(keyed)).Status);
    }

    [Fact]
    public async Task The_model_list_shows_what_the_config_allows_and_unknown_models_are_502()
    {
        var list = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        list.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ProxyGateway.ClientKey);
        var (status, body, _) = await SendAsync(list);
        Assert.Equal(200, status);
        var ids = JsonNode.Parse(body)!["data"]!.AsArray().Select(m => (string)m!["id"]!).ToList();
        // Config keys first, in file order, then the auth file's channel (unless another test disabled it already).
        Assert.Equal(["short", "team/short", "m-model", "q-model", "f-model", "b-model", "h-model"], ids.Take(7));
        var claude = new HttpRequestMessage(HttpMethod.Get, "/v1/models");
        claude.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ProxyGateway.ClientKey);
        claude.Headers.UserAgent.ParseAdd("claude-cli/1.0");
        var claudeList = JsonNode.Parse((await SendAsync(claude)).Body)!;
        Assert.Equal(("short", "model", "short"), ((string)claudeList["data"]![0]!["id"]!, (string)claudeList["data"]![0]!["type"]!, (string)claudeList["first_id"]!));
        var unknown = await SendAsync(Chat("nope"));
        Assert.Equal((502, "unknown provider for model nope"), (unknown.Status, (string)JsonNode.Parse(unknown.Body)!["error"]!["message"]!));
        var root = await fixture.Gateway.Client.GetStringAsync("/");
        Assert.Equal("CLI Proxy API Server", (string)JsonNode.Parse(root)!["message"]!);
        Assert.DoesNotContain(fixture.Usage.Records, r => r.Model == "nope");
    }

    [Fact]
    public async Task A_429_on_the_first_credential_is_served_by_the_next_and_cools_it()
    {
        var (status, _, _) = await SendAsync(Chat("m-model"));
        Assert.Equal(200, status);
        Assert.Equal(["Bearer k-429", "Bearer k-ok"], UpstreamFor("m-model").Select(r => r.Authorization));
        var reports = fixture.Board.Reports.Where(r => r.Model == "m-model").ToList();
        Assert.Equal([(429, TimeSpan.FromSeconds(60)), (200, (TimeSpan?)null)], reports.Select(r => (r.Status, r.RetryHint)));
        Assert.Equal([true, false], fixture.Usage.Records.Where(r => r.Model == "m-model").Select(r => r.Failed));
        Assert.Equal(200, (await SendAsync(Chat("m-model"))).Status);
        Assert.Equal(["Bearer k-429", "Bearer k-ok", "Bearer k-ok"], UpstreamFor("m-model").Select(r => r.Authorization));
    }

    [Fact]
    public async Task All_credentials_cooling_for_quota_answer_model_cooldown_without_retry_after()
    {
        var first = await SendAsync(Chat("q-model"));
        Assert.Equal((429, "rate limited"), (first.Status, (string)JsonNode.Parse(first.Body)!["error"]!["message"]!));
        var second = await SendAsync(Chat("q-model"));
        Assert.Equal(429, second.Status);
        var error = JsonNode.Parse(second.Body)!["error"]!;
        Assert.Equal(("model_cooldown", "q-model", "quota"), ((string)error["code"]!, (string)error["model"]!, (string)error["provider"]!));
        Assert.False(second.Response.Headers.Contains("Retry-After"));
        Assert.Single(UpstreamFor("q-model"));
        Assert.Single(fixture.Usage.Records, r => r.Model == "q-model");
    }

    [Fact]
    public async Task Extra_rounds_are_bounded_by_request_retry()
    {
        var (status, body, _) = await SendAsync(Chat("f-model"));
        Assert.Equal(500, status);
        Assert.Equal("boom", (string)JsonNode.Parse(body)!["error"]!["message"]!);
        Assert.Equal(2, UpstreamFor("f-model").Length); // one round, then one extra round (request-retry: 1)
        Assert.Equal([true, true], fixture.Usage.Records.Where(r => r.Model == "f-model").Select(r => r.Failed));
    }

    [Fact]
    public async Task An_invalid_request_error_is_answered_at_once_verbatim()
    {
        var (status, body, _) = await SendAsync(Chat("b-model"));
        Assert.Equal((400, """{"error":{"message":"bad field","type":"invalid_request_error"}}"""), (status, body));
        Assert.Single(UpstreamFor("b-model"));
    }

    [Fact]
    public async Task A_stream_reaches_the_client_chunk_by_chunk_and_its_usage_is_recorded()
    {
        using var response = await fixture.Gateway.Client.SendAsync(Chat("short", stream: true), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString());
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        var first = await stream.ReadAsync(buffer).AsTask().WaitAsync(Wait); // the upstream holds the rest until released
        Assert.Contains("Hel", Encoding.UTF8.GetString(buffer, 0, first));
        fixture.Upstream.ReleaseStream();
        var rest = await new StreamReader(stream).ReadToEndAsync().WaitAsync(Wait);
        Assert.Contains("[DONE]", rest);
        var record = Assert.Single(fixture.Usage.Records, r => r.Model == "up-model" && r.Tokens.Input == 7);
        Assert.Equal((2L, 9L, false), (record.Tokens.Output, record.Tokens.Total, record.Failed));
    }

    [Fact]
    public async Task Client_cancellation_reaches_the_upstream()
    {
        using var cancel = new CancellationTokenSource();
        var call = fixture.Gateway.Client.SendAsync(Chat("h-model"), cancel.Token);
        await fixture.Upstream.HangReceived.Task.WaitAsync(Wait);
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        await fixture.Upstream.HangCancelled.Task.WaitAsync(Wait);
        // Nothing was answered: the call counts as the client's leaving (nginx's 499), not as an upstream or server error.
        await Mgmt.Eventually(() => Task.FromResult(fixture.Metrics.Requests.Any(r => r.Model == "h-model")), Wait, "the call's metrics");
        Assert.Equal(499, Assert.Single(fixture.Metrics.Requests, r => r.Model == "h-model").Status);
    }

    [Fact]
    public async Task An_auth_file_is_served_with_its_grains_token_until_it_is_disabled()
    {
        var (status, _, _) = await SendAsync(Chat("qwen3-coder-plus"));
        Assert.Equal(200, status);
        Assert.Equal("Bearer tok-q", Assert.Single(UpstreamFor("qwen3-coder-plus")).Authorization);
        var record = Assert.Single(fixture.Usage.Records, r => r.Model == "qwen3-coder-plus");
        Assert.Equal(("qwen", "q@example.com", AuthKit.AuthIndexOf(ProxyGateway.QwenFile)), (record.Provider, record.Source, record.AuthIndex));
        var disable = await fixture.Gateway.Send("PATCH", "/auth-files/status",
            new StringContent($$"""{"name":"{{ProxyGateway.QwenFile}}","disabled":true}""", Encoding.UTF8, "application/json"));
        Assert.Equal(200, disable.Status);
        // The change reaches this node's index mirror by the grain's push (spec: within a second on every node).
        await Mgmt.Eventually(async () => (await SendAsync(Chat("qwen3-coder-plus"))).Status == 502, TimeSpan.FromSeconds(2), "the disabled credential left the registry");
        Assert.Equal(["Bearer tok-q"], UpstreamFor("qwen3-coder-plus").Select(r => r.Authorization).Distinct());
    }

    [Fact]
    public async Task Protocols_without_a_translation_answer_501_and_count_nothing()
    {
        var gemini = new HttpRequestMessage(HttpMethod.Post, "/v1beta/models/team/short:generateContent")
        {
            Content = new StringContent("""{"contents":[]}""", Encoding.UTF8, "application/json"),
        };
        gemini.Headers.Add("X-Goog-Api-Key", ProxyGateway.ClientKey);
        var (status, body, _) = await SendAsync(gemini);
        Assert.Equal(501, status);
        Assert.Contains("translation from gemini to openai-chat is not supported yet", body);
        var models = new HttpRequestMessage(HttpMethod.Get, "/v1beta/models/short");
        models.Headers.Add("X-Goog-Api-Key", ProxyGateway.ClientKey);
        Assert.Equal("models/short", (string)JsonNode.Parse((await SendAsync(models)).Body)!["name"]!);
        Assert.DoesNotContain(fixture.Usage.Records, r => r.Route.StartsWith("POST /v1beta", StringComparison.Ordinal));
    }
}
