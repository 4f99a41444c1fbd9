using System.Text.Json.Nodes;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Domain.Proxy.Usage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using static CliProxy.Tests.Domain.Proxy.Upstreams.ExecutorTestData;

namespace CliProxy.Tests.Domain.Proxy.Upstreams;

/// <summary>Each provider's upstream request (URL, auth header, headers, body rules) and which calls it serves (issue 12 scope 3–4).</summary>
[Unit]
public sealed class ExecutorTests
{
    private static readonly UpstreamOptions Defaults = new();

    [Theory]
    [InlineData(ClientProtocol.OpenAIChat, false, "https://relay.example/v1/chat/completions")]
    [InlineData(ClientProtocol.OpenAICompletions, false, "https://relay.example/v1/completions")]
    [InlineData(ClientProtocol.OpenAIChat, true, "https://relay.example/v1/chat/completions")]
    public void OpenAI_compatibility_posts_to_the_entry_with_bearer_and_entry_headers(ClientProtocol protocol, bool stream, string url)
    {
        var credential = Credential("openrouter", UpstreamProtocol.OpenAIChat, baseUrl: "https://relay.example/v1/", headers: ("X-Title", "cpa"));
        var request = new OpenAICompatibleExecutor(Defaults).Build(credential, "sk-upstream",
            Call(protocol, """{"model":"router/gpt-x","stream":true,"messages":[{"role":"user","content":"hi"}]}""", stream), "gpt-x");
        Assert.Equal(url, request.Url.ToString());
        Assert.Equal("Bearer sk-upstream", Header(request, "Authorization"));
        Assert.Equal("cpa", Header(request, "X-Title"));
        Assert.Equal(stream ? "text/event-stream" : "application/json", Header(request, "Accept"));
        var body = JsonNode.Parse(Body(request))!;
        Assert.Equal("gpt-x", (string?)body["model"]);
        Assert.Equal("hi", (string?)body["messages"]![0]!["content"]);
        Assert.Equal(stream ? true : null, (bool?)body["stream_options"]?["include_usage"]);
    }

    [Fact]
    public void A_stream_keeps_the_clients_stream_options_and_adds_include_usage()
    {
        var request = new OpenAICompatibleExecutor(Defaults).Build(Credential("x", UpstreamProtocol.OpenAIChat, baseUrl: "http://127.0.0.1:9"), "k",
            Call(ClientProtocol.OpenAIChat, """{"model":"m","stream":true,"stream_options":{"include_obfuscation":false,"include_usage":false}}""", true), "m");
        Assert.Equal("""{"model":"m","stream":true,"stream_options":{"include_obfuscation":false,"include_usage":true}}""", Body(request));
    }

    [Fact]
    public void The_model_is_spliced_without_touching_the_rest_of_the_body()
    {
        const string body = "{\n  \"messages\": [{\"role\":\"user\",\"content\":\"caf\\u00e9 1.50\"}],\n  \"model\" : \"p/alias\", \"n\": 1.0\n}";
        var request = new OpenAICompatibleExecutor(Defaults).Build(Credential("x", UpstreamProtocol.OpenAIChat, baseUrl: "http://127.0.0.1:9"), "k",
            Call(ClientProtocol.OpenAIChat, body), "real-model");
        Assert.Equal(body.Replace("\"p/alias\"", "\"real-model\""), Body(request));
        var without = new OpenAICompatibleExecutor(Defaults).Build(Credential("x", UpstreamProtocol.OpenAIChat, baseUrl: "http://127.0.0.1:9"), "k",
            Call(ClientProtocol.OpenAIChat, "{}"), "m");
        Assert.Equal("""{"model":"m"}""", Body(without));
    }

    [Fact]
    public void Qwen_uses_the_resource_url_normalised_and_its_client_headers()
    {
        var executor = new QwenExecutor(Defaults);
        var request = executor.Build(Credential("qwen", UpstreamProtocol.OpenAIChat, oauth: true, baseUrl: "portal.qwen.ai"), "tok",
            Call(ClientProtocol.OpenAIChat, """{"model":"qwen3-coder-plus"}"""), "qwen3-coder-plus");
        Assert.Equal("https://portal.qwen.ai/v1/chat/completions", request.Url.ToString());
        Assert.Equal("Bearer tok", Header(request, "Authorization"));
        Assert.Equal("qwen-oauth", Header(request, "X-Dashscope-Authtype"));
        Assert.StartsWith("QwenCode/", Header(request, "User-Agent"));
        var fallback = executor.Build(Credential("qwen", UpstreamProtocol.OpenAIChat, oauth: true), "tok", Call(ClientProtocol.OpenAIChat, "{}"), "m");
        Assert.Equal("https://portal.qwen.ai/v1/chat/completions", fallback.Url.ToString());
    }

    [Fact]
    public void Kimi_posts_to_the_coding_endpoint_with_its_device_headers()
    {
        var request = new KimiExecutor(Defaults).Build(Credential("kimi", UpstreamProtocol.OpenAIChat, oauth: true), "tok",
            Call(ClientProtocol.OpenAIChat, """{"model":"k"}"""), "kimi-for-coding");
        Assert.Equal("https://api.kimi.com/coding/v1/chat/completions", request.Url.ToString());
        Assert.Equal("Bearer tok", Header(request, "Authorization"));
        Assert.Equal("CLIProxyAPI", Header(request, "X-Msh-Platform"));
        Assert.True(Guid.TryParse(Header(request, "X-Msh-Device-Id"), out _));
        Assert.Contains("\"kimi-for-coding\"", Body(request));
    }

    [Fact]
    public void IFlow_signs_the_session_and_time_with_the_key()
    {
        var time = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(1_760_000_000_123));
        var request = new IFlowExecutor(Defaults, time).Build(Credential("iflow", UpstreamProtocol.OpenAIChat, oauth: true), "sk-iflow",
            Call(ClientProtocol.OpenAIChat, """{"model":"glm-4.6"}"""), "glm-4.6");
        Assert.Equal("https://apis.iflow.cn/v1/chat/completions", request.Url.ToString());
        Assert.Equal("iFlow-Cli", Header(request, "User-Agent"));
        Assert.Equal("1760000000123", Header(request, "x-iflow-timestamp"));
        var session = Header(request, "session-id")!;
        Assert.StartsWith("session-", session);
        Assert.Equal(IFlowExecutor.Signature("sk-iflow", session, "1760000000123"), Header(request, "x-iflow-signature"));
        // HMAC-SHA256("sk-iflow", "iFlow-Cli:session-1:1760000000123"), computed independently.
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.HMACSHA256.HashData("sk-iflow"u8, "iFlow-Cli:session-1:1760000000123"u8)),
            IFlowExecutor.Signature("sk-iflow", "session-1", "1760000000123"));
    }

    [Theory]
    [InlineData(false, "", ClientProtocol.ClaudeMessages, "https://api.anthropic.com/v1/messages?beta=true", "x-api-key")]
    [InlineData(false, "https://api.anthropic.com/", ClientProtocol.ClaudeCountTokens, "https://api.anthropic.com/v1/messages/count_tokens?beta=true", "x-api-key")]
    [InlineData(false, "https://relay.example", ClientProtocol.ClaudeMessages, "https://relay.example/v1/messages?beta=true", "Authorization")]
    [InlineData(true, "", ClientProtocol.ClaudeMessages, "https://api.anthropic.com/v1/messages?beta=true", "Authorization")]
    public void Claude_url_and_auth_header(bool oauth, string baseUrl, ClientProtocol protocol, string url, string authHeader)
    {
        var request = new ClaudeExecutor(Defaults).Build(Credential("claude", UpstreamProtocol.ClaudeMessages, oauth, baseUrl), "secret",
            Call(protocol, """{"model":"c","max_tokens":10,"messages":[]}"""), "claude-sonnet-4-5");
        Assert.Equal(url, request.Url.ToString());
        Assert.Equal(authHeader == "x-api-key" ? "secret" : "Bearer secret", Header(request, authHeader));
        Assert.Null(Header(request, authHeader == "x-api-key" ? "Authorization" : "x-api-key"));
        Assert.Equal("2023-06-01", Header(request, "anthropic-version"));
        Assert.Equal(oauth ? "claude-code-20250219,oauth-2025-04-20" : null, Header(request, "anthropic-beta"));
        Assert.Contains("\"claude-sonnet-4-5\"", Body(request));
    }

    [Fact]
    public void Claude_OAuth_merges_the_clients_betas_and_version()
    {
        var request = new ClaudeExecutor(Defaults).Build(Credential("claude", UpstreamProtocol.ClaudeMessages, oauth: true), "sk-ant-oat01-x",
            Call(ClientProtocol.ClaudeMessages, "{}", true, ("anthropic-beta", "claude-code-20250219,interleaved-thinking-2025-05-14"), ("anthropic-version", "2024-01-01")), "m");
        Assert.Equal("claude-code-20250219,oauth-2025-04-20,interleaved-thinking-2025-05-14", Header(request, "anthropic-beta"));
        Assert.Equal("2024-01-01", Header(request, "anthropic-version"));
        Assert.Equal("text/event-stream", Header(request, "Accept"));
        var apiKey = new ClaudeExecutor(Defaults).Build(Credential("claude", UpstreamProtocol.ClaudeMessages), "k",
            Call(ClientProtocol.ClaudeMessages, "{}", false, ("anthropic-beta", "context-1m-2025-08-07")), "m");
        Assert.Equal("context-1m-2025-08-07", Header(apiKey, "anthropic-beta"));
    }

    [Theory]
    [InlineData(false, "context-1m-2025-08-07", """["files-api-2025-04-14"," ",7]""", "context-1m-2025-08-07,files-api-2025-04-14")]
    [InlineData(false, null, "\"files-api-2025-04-14\"", "files-api-2025-04-14")]
    [InlineData(true, "files-api-2025-04-14", """["files-api-2025-04-14"]""", "claude-code-20250219,oauth-2025-04-20,files-api-2025-04-14")]
    public void Claude_betas_in_the_body_move_to_the_header(bool oauth, string? headerBetas, string bodyBetas, string expected)
    {
        (string, string)[] headers = headerBetas is null ? [] : [("anthropic-beta", headerBetas)];
        var request = new ClaudeExecutor(Defaults).Build(Credential("claude", UpstreamProtocol.ClaudeMessages, oauth), "k",
            Call(ClientProtocol.ClaudeMessages, $$"""{"model":"c","betas":{{bodyBetas}},"max_tokens":1}""", false, headers), "m");

        Assert.Equal(expected, Header(request, "anthropic-beta"));
        Assert.False(JsonNode.Parse(Body(request))!.AsObject().ContainsKey("betas"), Body(request));
    }

    [Fact]
    public void Codex_API_key_goes_to_the_platform_with_the_body_untouched_but_the_model()
    {
        var request = new CodexExecutor(Defaults).Build(Credential("codex", UpstreamProtocol.OpenAIResponses), "sk-proj",
            Call(ClientProtocol.OpenAIResponses, """{"model":"x","input":"hi","temperature":0.2}"""), "gpt-5");
        Assert.Equal("https://api.openai.com/v1/responses", request.Url.ToString());
        Assert.Equal("Bearer sk-proj", Header(request, "Authorization"));
        Assert.Equal("""{"model":"gpt-5","input":"hi","temperature":0.2}""", Body(request));
        Assert.False(request.CollectStream);
        Assert.Null(Header(request, "Chatgpt-Account-Id"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_compact_goes_to_responses_compact_without_stream_and_is_not_collected(bool oauth)
    {
        var request = new CodexExecutor(Defaults).Build(Credential("codex", UpstreamProtocol.OpenAIResponses, oauth: oauth), "tok",
            Call(ClientProtocol.OpenAIResponsesCompact, """{"model":"x","input":[],"stream":false}"""), "gpt-5");
        Assert.EndsWith("/responses/compact", request.Url.AbsolutePath);
        Assert.Equal("application/json", Header(request, "Accept"));
        Assert.False(request.CollectStream);
        var body = System.Text.Json.Nodes.JsonNode.Parse(Body(request))!.AsObject();
        Assert.Equal("gpt-5", (string?)body["model"]);
        Assert.False(body.ContainsKey("stream"));
    }

    [Fact]
    public void Codex_OAuth_goes_to_the_ChatGPT_backend_with_account_and_body_rules()
    {
        var payload = Convert.ToBase64String("""{"https://api.openai.com/auth":{"chatgpt_account_id":"acct-123","chatgpt_plan_type":"plus"},"exp":1}"""u8)
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var token = "eyJhbGciOiJSUzI1NiJ9." + payload + ".sig";
        var request = new CodexExecutor(Defaults).Build(Credential("codex", UpstreamProtocol.OpenAIResponses, oauth: true), token,
            Call(ClientProtocol.OpenAIResponses, """{"model":"x","input":"hi","temperature":0.2,"max_output_tokens":9,"store":true,"previous_response_id":"r","service_tier":"flex"}""",
                false, ("version", "0.50.0")), "gpt-5-codex");
        Assert.Equal("https://chatgpt.com/backend-api/codex/responses", request.Url.ToString());
        Assert.Equal("Bearer " + token, Header(request, "Authorization"));
        Assert.Equal("acct-123", Header(request, "Chatgpt-Account-Id"));
        Assert.Equal("codex-tui", Header(request, "Originator"));
        Assert.Equal("0.50.0", Header(request, "Version"));
        Assert.Equal("text/event-stream", Header(request, "Accept"));
        Assert.True(request.CollectStream);
        var body = JsonNode.Parse(Body(request))!.AsObject();
        Assert.Equal("gpt-5-codex", (string?)body["model"]);
        Assert.True((bool)body["stream"]!);
        Assert.False((bool)body["store"]!);
        Assert.Equal("", (string?)body["instructions"]);
        Assert.Equal("hi", (string?)body["input"]![0]!["content"]![0]!["text"]);
        foreach (var removed in new[] { "temperature", "max_output_tokens", "previous_response_id", "service_tier" }) Assert.False(body.ContainsKey(removed), removed);
    }

    [Fact]
    public void Codex_OAuth_keeps_instructions_and_turns_system_input_into_developer()
    {
        var request = new CodexExecutor(Defaults).Build(Credential("codex", UpstreamProtocol.OpenAIResponses, oauth: true), "opaque",
            Call(ClientProtocol.OpenAIResponses, """{"instructions":"be brief","stream":true,"input":[{"role":"system","content":"s"},{"role":"user","content":"u"}],"service_tier":"priority"}""", true), "m");
        var body = JsonNode.Parse(Body(request))!;
        Assert.Equal("be brief", (string?)body["instructions"]);
        Assert.Equal("developer", (string?)body["input"]![0]!["role"]);
        Assert.Equal("priority", (string?)body["service_tier"]);
        Assert.False(request.CollectStream);
        Assert.Null(Header(request, "Chatgpt-Account-Id"));
    }

    [Theory]
    [InlineData("gemini", ClientProtocol.GeminiGenerate, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent")]
    [InlineData("gemini", ClientProtocol.GeminiStream, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse")]
    [InlineData("gemini", ClientProtocol.GeminiCountTokens, "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:countTokens")]
    [InlineData("vertex", ClientProtocol.GeminiGenerate, "https://aiplatform.googleapis.com/v1/publishers/google/models/gemini-2.5-pro:generateContent")]
    [InlineData("vertex", ClientProtocol.GeminiStream, "https://aiplatform.googleapis.com/v1/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse")]
    public void Gemini_and_Vertex_put_the_model_in_the_path_and_the_key_in_a_header(string provider, ClientProtocol protocol, string url)
    {
        IUpstreamExecutor executor = provider == "gemini" ? new GeminiExecutor(Defaults) : new VertexExecutor(Defaults);
        const string body = """{"contents":[{"role":"user","parts":[{"text":"hi"}]}]}""";
        var request = executor.Build(Credential(provider, UpstreamProtocol.Gemini), "AIza-key", Call(protocol, body, protocol == ClientProtocol.GeminiStream), "gemini-2.5-pro");
        Assert.Equal(url, request.Url.ToString());
        Assert.Equal("AIza-key", Header(request, "x-goog-api-key"));
        Assert.Null(Header(request, "Authorization"));
        Assert.Equal(body, Body(request));
    }

    [Theory]
    [InlineData("claude", "http://127.0.0.1:5001/", "http://127.0.0.1:5001/v1/messages?beta=true")]
    [InlineData("codex", "http://127.0.0.1:5002/codex", "http://127.0.0.1:5002/codex/responses")]
    [InlineData("gemini", "http://127.0.0.1:5003", "http://127.0.0.1:5003/v1beta/models/m:generateContent")]
    public void Default_base_urls_come_from_configuration_and_a_credentials_own_wins(string provider, string configured, string expected)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            [$"Proxy:Upstreams:{provider}:BaseUrl"] = configured,
        }).Build();
        var executors = new ServiceCollection().AddUpstreamExecutors(configuration).BuildServiceProvider().GetServices<IUpstreamExecutor>().ToList();
        var (protocol, client) = provider switch
        {
            "claude" => (UpstreamProtocol.ClaudeMessages, ClientProtocol.ClaudeMessages),
            "codex" => (UpstreamProtocol.OpenAIResponses, ClientProtocol.OpenAIResponses),
            _ => (UpstreamProtocol.Gemini, ClientProtocol.GeminiGenerate),
        };
        var credential = Credential(provider, protocol, oauth: provider == "codex");
        var executor = executors.For(credential, client)!;
        Assert.Equal(expected, executor.Build(credential, "s", Call(client, "{}"), "m").Url.ToString());
        var own = credential with { BaseUrl = "https://own.example/base" };
        Assert.StartsWith("https://own.example/base/", executor.Build(own, "s", Call(client, "{}"), "m").Url.ToString());
    }

    [Fact]
    public void Every_protocol_is_served_only_without_translation()
    {
        var executors = new ServiceCollection().AddUpstreamExecutors(new ConfigurationBuilder().Build()).BuildServiceProvider().GetServices<IUpstreamExecutor>().ToList();
        (string Provider, UpstreamProtocol Protocol, ClientProtocol[] Native, Type Executor)[] rows =
        [
            ("openrouter", UpstreamProtocol.OpenAIChat, [ClientProtocol.OpenAIChat, ClientProtocol.OpenAICompletions], typeof(OpenAICompatibleExecutor)),
            ("qwen", UpstreamProtocol.OpenAIChat, [ClientProtocol.OpenAIChat, ClientProtocol.OpenAICompletions], typeof(QwenExecutor)),
            ("kimi", UpstreamProtocol.OpenAIChat, [ClientProtocol.OpenAIChat, ClientProtocol.OpenAICompletions], typeof(KimiExecutor)),
            ("iflow", UpstreamProtocol.OpenAIChat, [ClientProtocol.OpenAIChat, ClientProtocol.OpenAICompletions], typeof(IFlowExecutor)),
            ("codex", UpstreamProtocol.OpenAIResponses, [ClientProtocol.OpenAIResponses, ClientProtocol.OpenAIResponsesCompact], typeof(CodexExecutor)),
            ("claude", UpstreamProtocol.ClaudeMessages, [ClientProtocol.ClaudeMessages, ClientProtocol.ClaudeCountTokens], typeof(ClaudeExecutor)),
            ("gemini", UpstreamProtocol.Gemini, [ClientProtocol.GeminiGenerate, ClientProtocol.GeminiStream, ClientProtocol.GeminiCountTokens], typeof(GeminiExecutor)),
            ("vertex", UpstreamProtocol.Gemini, [ClientProtocol.GeminiGenerate, ClientProtocol.GeminiStream, ClientProtocol.GeminiCountTokens], typeof(VertexExecutor)),
            ("gemini-cli", UpstreamProtocol.Unsupported, [], typeof(void)),
            ("antigravity", UpstreamProtocol.Unsupported, [], typeof(void)),
        ];
        foreach (var (provider, protocol, native, type) in rows)
            foreach (var client in Enum.GetValues<ClientProtocol>())
            {
                var credential = Credential(provider, protocol);
                var executor = executors.For(credential, client);
                if (native.Contains(client)) Assert.Equal(type, executor?.GetType());
                else Assert.True(executor is null, $"{provider} {client}");
            }
    }

    [Fact]
    public void A_request_needing_translation_gets_a_clear_message()
    {
        Assert.Equal("translation from openai-chat to gemini-cli is not supported yet",
            UnsupportedTranslation.Message(ClientProtocol.OpenAIChat, Credential("gemini-cli", UpstreamProtocol.Unsupported, oauth: true)));
        Assert.Equal("translation from claude-messages to openai-responses is not supported yet",
            UnsupportedTranslation.Message(ClientProtocol.ClaudeMessages, Credential("codex", UpstreamProtocol.OpenAIResponses)));
    }

    [Fact]
    public void Each_executor_reads_usage_in_its_protocol()
    {
        var o = Defaults;
        Assert.IsType<ClaudeUsageScanner>(new ClaudeExecutor(o).NewUsageScanner(Credential("claude", UpstreamProtocol.ClaudeMessages), true));
        Assert.IsType<ResponsesUsageScanner>(new CodexExecutor(o).NewUsageScanner(Credential("codex", UpstreamProtocol.OpenAIResponses), false));
        Assert.IsType<GeminiUsageScanner>(new VertexExecutor(o).NewUsageScanner(Credential("vertex", UpstreamProtocol.Gemini), true));
        Assert.IsType<OpenAIUsageScanner>(new QwenExecutor(o).NewUsageScanner(Credential("qwen", UpstreamProtocol.OpenAIChat), true));
    }
}
