using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Gateway.Usage;
using CliProxy.Tests.Domain.Proxy;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>
/// OAuth credentials through the real executors (issue 12): a Claude auth file and a Codex auth file, served by
/// <see cref="FakeOAuthUpstreams"/> on 127.0.0.1; the tokens come from the credentials' grains.
/// </summary>
[Http]
public sealed class OAuthProxyTests : IAsyncLifetime
{
    private const string ClientKey = "client-oauth";
    private FakeOAuthUpstreams _upstream = null!;
    private InProcessGateway _gateway = null!;
    private readonly RecordingUsage _usage = new();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _upstream = await FakeOAuthUpstreams.StartAsync();
        var options = new UpstreamOptions();
        options.BaseUrls[UpstreamProviders.Claude] = _upstream.ClaudeBaseUrl;
        options.BaseUrls[UpstreamProviders.Codex] = _upstream.CodexBaseUrl;
        options.BaseUrls[UpstreamProviders.Gemini] = _upstream.ClaudeBaseUrl;
        _gateway = InProcessGateway.Prepare($"""
            auth-dir: ./auths
            remote-management:
              secret-key: {Mgmt.Key}
            api-keys: [{ClientKey}]
            gemini-api-key:
              - api-key: g-key
            claude-header-defaults:
              user-agent: "claude-cli/9.9.9 (external, test)"
            payload:
              default:
                - models:
                    - name: "gemini-*"
                      protocol: "gemini"
                  params:
                    "generationConfig.thinkingConfig.thinkingBudget": 2048
              override:
                - models:
                    - name: "claude-*"
                      protocol: "claude"
                  params:
                    "betas": ["files-api-2025-04-14"]
            """).WithServices(services =>
        {
            services.AddSingleton(options);
            services.AddSingleton<IUsageRecorder>(_usage);
        });
        Directory.CreateDirectory(_gateway.AuthDir());
        await File.WriteAllTextAsync(_gateway.AuthPath("claude-a.json"), """{"type":"claude","access_token":"tok-claude","email":"c@example.com"}""");
        await File.WriteAllTextAsync(_gateway.AuthPath("codex-a.json"), """{"type":"codex","access_token":"tok-codex","email":"x@example.com"}""");
        await _gateway.StartAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private async Task<(int Status, string Body, string ContentType)> PostAsync(string path, JsonObject body, string? userAgent = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ClientKey);
        if (userAgent is not null) request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        using var response = await _gateway.Client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType ?? "");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_Claude_auth_file_goes_upstream_with_its_bearer_token_and_the_oauth_beta(bool stream)
    {
        const string model = "claude-sonnet-4-5-20250929";
        var (status, body, _) = await PostAsync("/v1/messages", new JsonObject { ["model"] = model, ["stream"] = stream, ["max_tokens"] = 10, ["messages"] = new JsonArray() });
        Assert.Equal(200, status);
        Assert.Contains("hi", body);
        var sent = Assert.Single(_upstream.Requests, r => r.Path == "/v1/messages");
        Assert.Equal("Bearer tok-claude", sent.Headers["Authorization"]);
        Assert.Contains("oauth-2025-04-20", sent.Headers["anthropic-beta"]);
        Assert.Contains("files-api-2025-04-14", sent.Headers["anthropic-beta"]); // a payload rule's betas, moved like the client's
        Assert.False(sent.Body.ContainsKey("betas"));
        Assert.Equal(("claude-cli/9.9.9 (external, test)", "cli"), (sent.Headers["User-Agent"], sent.Headers["X-App"])); // claude-header-defaults
        Assert.Equal(ClaudeCloak.Identity, (string?)sent.Body["system"]![0]!["text"]); // not Claude Code: cloaked
        Assert.True(ClaudeCloak.IsUserId((string?)sent.Body["metadata"]!["user_id"]));
        Assert.Equal(model, (string?)sent.Body["model"]);
        var record = Assert.Single(_usage.Records);
        Assert.Equal(("claude", false, 11L, 4L), (record.Provider, record.Failed, record.Tokens.Input, record.Tokens.Output));
    }

    [Fact]
    public async Task Claude_Codes_own_user_agent_and_body_go_upstream_unchanged()
    {
        var (status, _, _) = await PostAsync("/v1/messages",
            new JsonObject { ["model"] = "claude-sonnet-4-5-20250929", ["max_tokens"] = 10, ["messages"] = new JsonArray() }, "claude-cli/2.1.50 (external, cli)");

        Assert.Equal(200, status);
        var sent = Assert.Single(_upstream.Requests, r => r.Path == "/v1/messages");
        Assert.Equal("claude-cli/2.1.50 (external, cli)", sent.Headers["User-Agent"]);
        Assert.False(sent.Body.ContainsKey("system") || sent.Body.ContainsKey("metadata"), $"Claude Code's body cloaked: {sent.Body.ToJsonString()}");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_Codex_auth_file_streams_upstream_and_a_non_streaming_client_gets_the_final_response(bool stream)
    {
        var (status, body, type) = await PostAsync("/v1/responses", new JsonObject { ["model"] = "gpt-5", ["stream"] = stream, ["input"] = "hello" });
        Assert.Equal(200, status);
        var sent = Assert.Single(_upstream.Requests, r => r.Path == "/codex/responses");
        Assert.Equal("Bearer tok-codex", sent.Headers["Authorization"]);
        Assert.True(sent.Body["stream"]!.GetValue<bool>());
        if (stream)
        {
            Assert.Equal("text/event-stream", type);
            Assert.Contains("event: response.completed", body);
        }
        else
        {
            Assert.Equal("application/json", type);
            var response = JsonNode.Parse(body)!;
            Assert.Equal(("r1", "completed", 19), ((string?)response["id"], (string?)response["status"], (int)response["usage"]!["total_tokens"]!));
        }
        var record = Assert.Single(_usage.Records);
        Assert.Equal(("codex", false, 13L, 6L, 2L), (record.Provider, record.Failed, record.Tokens.Input, record.Tokens.Output, record.Tokens.Reasoning));
    }

    [Fact]
    public async Task A_compact_goes_to_the_codex_backend_without_stream_and_its_answer_passes_through()
    {
        var (status, body, type) = await PostAsync("/v1/responses/compact", new JsonObject { ["model"] = "gpt-5", ["input"] = "hello", ["stream"] = false });
        Assert.Equal((200, "application/json"), (status, type));
        Assert.Equal(FakeOAuthUpstreams.CompactAnswer, body);
        var sent = Assert.Single(_upstream.Requests);
        Assert.Equal(("/codex/responses/compact", "Bearer tok-codex"), (sent.Path, sent.Headers["Authorization"]));
        Assert.Equal("application/json", sent.Headers["Accept"]);
        Assert.False(sent.Body.ContainsKey("stream"));
        Assert.Equal(("gpt-5", false), ((string?)sent.Body["model"], sent.Body["store"]!.GetValue<bool>()));
        var record = Assert.Single(_usage.Records);
        Assert.Equal(("codex", "POST /v1/responses/compact", false, 13L, 6L), (record.Provider, record.Route, record.Failed, record.Tokens.Input, record.Tokens.Output));
    }

    [Fact]
    public async Task A_streamed_compact_is_refused_before_any_upstream_call()
    {
        var (status, body, _) = await PostAsync("/v1/responses/compact", new JsonObject { ["model"] = "gpt-5", ["input"] = "hello", ["stream"] = true });
        Assert.Equal(400, status);
        Assert.Contains("streaming not supported for /responses/compact", body);
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task A_compact_for_a_claude_model_names_the_missing_translation()
    {
        var (status, body, _) = await PostAsync("/v1/responses/compact", new JsonObject { ["model"] = "claude-sonnet-4-5-20250929", ["input"] = "hello" });
        Assert.Equal(501, status);
        Assert.Contains("translation from openai-responses-compact to claude-messages is not supported yet", body);
        Assert.Empty(_upstream.Requests);
    }

    [Fact]
    public async Task A_Gemini_key_streams_with_usage_from_the_final_chunk()
    {
        var (status, body, _) = await PostAsync("/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse", new JsonObject { ["contents"] = new JsonArray() });
        Assert.Equal(200, status);
        Assert.Contains("finishReason", body);
        var sent = Assert.Single(_upstream.Requests, r => r.Path.StartsWith("/v1beta/models/", StringComparison.Ordinal));
        Assert.Equal(("/v1beta/models/gemini-2.5-flash:streamGenerateContent", "g-key"), (sent.Path, sent.Headers["x-goog-api-key"]));
        Assert.Equal(2048, (int)sent.Body["generationConfig"]!["thinkingConfig"]!["thinkingBudget"]!); // the payload default
        var record = Assert.Single(_usage.Records);
        Assert.Equal(("gemini", false, 5L, 3L, 8L), (record.Provider, record.Failed, record.Tokens.Input, record.Tokens.Output, record.Tokens.Total));
    }

    /// <summary>Regression (review): payload rules reached token counting, which the reference never gives them (Google refuses a countTokens body with generationConfig).</summary>
    [Fact]
    public async Task Token_counting_gets_no_payload_rules()
    {
        await PostAsync("/v1beta/models/gemini-2.5-flash:countTokens", new JsonObject { ["contents"] = new JsonArray() });

        var sent = Assert.Single(_upstream.Requests, r => r.Path.StartsWith("/v1beta/models/", StringComparison.Ordinal));
        Assert.Equal("/v1beta/models/gemini-2.5-flash:countTokens", sent.Path);
        Assert.False(sent.Body.ContainsKey("generationConfig"), sent.Body.ToJsonString());
    }
}
