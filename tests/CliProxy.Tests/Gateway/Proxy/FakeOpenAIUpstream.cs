using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>
/// An OpenAI Chat Completions upstream on 127.0.0.1 that records what it receives. The bearer key chooses the answer:
/// <c>k-429</c> a 429 with <c>Retry-After: 60</c>, <c>k-500</c> a 500, <c>k-400</c> a 400 <c>invalid_request_error</c>,
/// <c>k-hang</c> never answers (and notes the cancellation), anything else 200 — as SSE when the body asks for a stream:
/// a first chunk at once, the rest (with usage) only after <see cref="ReleaseStream"/>.
/// </summary>
public sealed class FakeOpenAIUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly TaskCompletionSource _release = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private FakeOpenAIUpstream(WebApplication app) => _app = app;

    /// <summary>Base URL, e.g. <c>http://127.0.0.1:port/v1</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>Requests received: authorization header, path and query, body, and all headers.</summary>
    public ConcurrentQueue<(string Authorization, string Target, JsonObject Body, Dictionary<string, string> Headers)> Requests { get; } = new();

    /// <summary>Further keys answered like <c>k-429</c> while they are in the set (switched by a test).</summary>
    public ConcurrentDictionary<string, bool> RateLimited { get; } = new(StringComparer.Ordinal);

    /// <summary>Every request as it arrived: its key, the model of its body and <see cref="System.Diagnostics.Stopwatch.GetTimestamp"/>.</summary>
    public ConcurrentQueue<(string Key, string? Model, long ReceivedAt)> Arrivals { get; } = new();

    /// <summary>Completes when a <c>k-hang</c> request arrived.</summary>
    public TaskCompletionSource HangReceived { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes when a <c>k-hang</c> request was cancelled by the proxy.</summary>
    public TaskCompletionSource HangCancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Lets streams finish.</summary>
    public void ReleaseStream() => _release.TrySetResult();

    /// <summary>Keys of the requests received, in order.</summary>
    public string[] Keys => [.. Requests.Select(r => r.Authorization.Replace("Bearer ", "", StringComparison.Ordinal))];

    /// <summary>Starts the upstream.</summary>
    public static async Task<FakeOpenAIUpstream> StartAsync()
    {
        var app = LoopbackApp.Create();
        var upstream = new FakeOpenAIUpstream(app);
        app.MapPost("/v1/chat/completions", upstream.ChatAsync);
        await app.StartAsync();
        upstream.BaseUrl = $"http://127.0.0.1:{LoopbackApp.PortOf(app)}/v1";
        return upstream;
    }

    private async Task ChatAsync(HttpContext http)
    {
        var body = (JsonObject)(await JsonNode.ParseAsync(http.Request.Body))!;
        var auth = http.Request.Headers.Authorization.ToString();
        Requests.Enqueue((auth, http.Request.Path + http.Request.QueryString, body,
            http.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase)));
        var key = auth.Replace("Bearer ", "", StringComparison.Ordinal);
        Arrivals.Enqueue((key, (string?)body["model"], System.Diagnostics.Stopwatch.GetTimestamp()));
        if (RateLimited.ContainsKey(key)) auth = "Bearer k-429";
        switch (auth)
        {
            case "Bearer k-429":
                http.Response.StatusCode = 429;
                http.Response.Headers.RetryAfter = "60";
                await http.Response.WriteAsJsonAsync(new { error = new { message = "rate limited", type = "rate_limit_error" } });
                return;
            case "Bearer k-500":
                http.Response.StatusCode = 500;
                await http.Response.WriteAsync("boom");
                return;
            case "Bearer k-400":
                http.Response.StatusCode = 400;
                await http.Response.WriteAsJsonAsync(new { error = new { message = "bad field", type = "invalid_request_error" } });
                return;
            case "Bearer k-hang":
                HangReceived.TrySetResult();
                try
                {
                    await Task.Delay(Timeout.Infinite, http.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    HangCancelled.TrySetResult();
                }
                return;
        }
        var model = (string?)body["model"];
        if (body["stream"]?.GetValue<bool>() == true)
        {
            http.Response.ContentType = "text/event-stream";
            await http.Response.WriteAsync($"data: {{\"model\":\"{model}\",\"choices\":[{{\"delta\":{{\"content\":\"Hel\"}}}}]}}\n\n");
            await http.Response.Body.FlushAsync();
            await _release.Task.WaitAsync(http.RequestAborted);
            await http.Response.WriteAsync("data: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,\"total_tokens\":9}}\n\ndata: [DONE]\n\n");
            return;
        }
        http.Response.ContentType = "application/json";
        var answer = Encoding.UTF8.GetBytes(
            $"{{\"id\":\"c1\",\"model\":\"{model}\",\"choices\":[{{\"message\":{{\"content\":\"hi\"}}}}],\"usage\":{{\"prompt_tokens\":3,\"completion_tokens\":5,\"total_tokens\":8}}}}");
        http.Response.ContentLength = answer.Length;
        await http.Response.Body.WriteAsync(answer);
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        ReleaseStream();
        await LoopbackApp.StopAsync(_app);
    }
}
