using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>
/// An Anthropic Messages upstream (<c>/v1/messages</c>) and a ChatGPT-backend Codex upstream (<c>/codex/responses</c>,
/// which always streams, as the real one) on 127.0.0.1, recording what they receive. Usage: Claude 11 in / 4 out,
/// Codex 13 in / 6 out (2 reasoning).
/// </summary>
public sealed class FakeOAuthUpstreams : IAsyncDisposable
{
    private readonly WebApplication _app;

    private FakeOAuthUpstreams(WebApplication app) => _app = app;

    /// <summary>Base URL of the fake Anthropic API (<c>http://127.0.0.1:port</c>).</summary>
    public string ClaudeBaseUrl { get; private set; } = "";

    /// <summary>Base URL of the fake Codex backend (<c>http://127.0.0.1:port/codex</c>).</summary>
    public string CodexBaseUrl { get; private set; } = "";

    /// <summary>Requests received: path, headers, body.</summary>
    public ConcurrentQueue<(string Path, Dictionary<string, string> Headers, JsonObject Body)> Requests { get; } = new();

    /// <summary>Starts both upstreams.</summary>
    public static async Task<FakeOAuthUpstreams> StartAsync()
    {
        var app = LoopbackApp.Create();
        var upstream = new FakeOAuthUpstreams(app);
        app.MapPost("/v1/messages", upstream.MessagesAsync);
        app.MapPost("/codex/responses", upstream.ResponsesAsync);
        app.MapPost("/codex/responses/compact", upstream.CompactAsync);
        app.MapPost("/v1beta/models/{*action}", upstream.GeminiAsync);
        await app.StartAsync();
        var root = $"http://127.0.0.1:{LoopbackApp.PortOf(app)}";
        upstream.ClaudeBaseUrl = root;
        upstream.CodexBaseUrl = root + "/codex";
        return upstream;
    }

    private async Task<JsonObject> RecordAsync(HttpContext http)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(http.Request.Body))!;
        Requests.Enqueue((http.Request.Path.ToString(), http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase), body));
        return body;
    }

    private async Task MessagesAsync(HttpContext http)
    {
        var body = await RecordAsync(http);
        var model = (string?)body["model"];
        if (body["stream"]?.GetValue<bool>() == true)
        {
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync(
                $"event: message_start\ndata: {{\"type\":\"message_start\",\"message\":{{\"model\":\"{model}\",\"usage\":{{\"input_tokens\":11,\"output_tokens\":1}}}}}}\n\n" +
                "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"delta\":{\"type\":\"text_delta\",\"text\":\"hi\"}}\n\n" +
                "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"input_tokens\":11,\"output_tokens\":4}}\n\n" +
                "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
            return;
        }
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync($"{{\"id\":\"m1\",\"type\":\"message\",\"model\":\"{model}\",\"content\":[{{\"type\":\"text\",\"text\":\"hi\"}}],\"usage\":{{\"input_tokens\":11,\"output_tokens\":4}}}}");
    }

    /// <summary>The compacted conversation, as JSON (the route never streams).</summary>
    public const string CompactAnswer = """{"id":"c1","object":"response.compaction","output":[{"type":"compaction","encrypted_content":"e30="}],"usage":{"input_tokens":13,"output_tokens":6,"total_tokens":19,"output_tokens_details":{"reasoning_tokens":2}}}""";

    private async Task CompactAsync(HttpContext http)
    {
        await RecordAsync(http);
        http.Response.ContentType = "application/json";
        await http.Response.WriteAsync(CompactAnswer);
    }

    private async Task ResponsesAsync(HttpContext http)
    {
        var body = await RecordAsync(http);
        var model = (string?)body["model"];
        http.Response.ContentType = "text/event-stream";
        await http.Response.WriteAsync(
            $"event: response.created\ndata: {{\"type\":\"response.created\",\"response\":{{\"id\":\"r1\",\"model\":\"{model}\",\"status\":\"in_progress\"}}}}\n\n" +
            "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"hi\"}\n\n");
        await http.Response.Body.FlushAsync();
        await http.Response.WriteAsync(
            $"event: response.completed\ndata: {{\"type\":\"response.completed\",\"response\":{{\"id\":\"r1\",\"object\":\"response\",\"model\":\"{model}\",\"status\":\"completed\"," +
            "\"output\":[{\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"hi\"}]}]," +
            "\"usage\":{\"input_tokens\":13,\"output_tokens\":6,\"output_tokens_details\":{\"reasoning_tokens\":2},\"total_tokens\":19}}}\n\n");
    }

    private async Task GeminiAsync(HttpContext http)
    {
        await RecordAsync(http);
        http.Response.ContentType = "text/event-stream";
        await http.Response.WriteAsync(
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"hi\"}]}}],\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":1,\"totalTokenCount\":6}}\r\n\r\n" +
            "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"!\"}]},\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":5,\"candidatesTokenCount\":3,\"totalTokenCount\":8}}\r\n\r\n");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await LoopbackApp.StopAsync(_app);
    }
}
