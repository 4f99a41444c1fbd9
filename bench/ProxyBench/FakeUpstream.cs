using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace CliProxy.ProxyBench;

/// <summary>
/// An OpenAI-compatible upstream on 127.0.0.1: <c>POST /v1/chat/completions</c> answers a small chat completion with a
/// <c>usage</c> object, or, for <c>"stream": true</c>, <paramref name="chunks"/> SSE chunks <paramref name="delay"/> apart
/// (the first at once, the last carrying <c>usage</c>) and <c>data: [DONE]</c>.
/// </summary>
public sealed class FakeUpstream(WebApplication app, Uri baseAddress) : IAsyncDisposable
{
    private static readonly byte[] Completion = Encoding.UTF8.GetBytes(
        """{"id":"chatcmpl-bench","object":"chat.completion","created":1764979200,"model":"fake-model","choices":[{"index":0,"message":{"role":"assistant","content":"pong"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}""");

    private static readonly byte[] Chunk = Encoding.UTF8.GetBytes(
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1764979200,\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"po\"},\"finish_reason\":null}]}\n\n");

    private static readonly byte[] Last = Encoding.UTF8.GetBytes(
        "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1764979200,\"model\":\"fake-model\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":8,\"total_tokens\":20}}\n\ndata: [DONE]\n\n");

    /// <summary>Base address of the upstream (no path).</summary>
    public Uri BaseAddress { get; } = baseAddress;

    public static async Task<FakeUpstream> StartAsync(int chunks, TimeSpan delay)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        app.MapPost("/v1/chat/completions", async (HttpContext context) =>
        {
            using var request = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var stream = request.RootElement.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True;
            var response = context.Response;
            if (!stream)
            {
                response.ContentType = "application/json";
                response.ContentLength = Completion.Length;
                await response.Body.WriteAsync(Completion, context.RequestAborted);
                return;
            }
            response.ContentType = "text/event-stream";
            response.Headers.CacheControl = "no-cache";
            for (var i = 0; i < chunks; i++)
            {
                if (i > 0) await Task.Delay(delay, context.RequestAborted);
                await response.Body.WriteAsync(i == chunks - 1 ? Last : Chunk, context.RequestAborted);
                await response.Body.FlushAsync(context.RequestAborted);
            }
        });
        await app.StartAsync();
        var address = app.Urls.Single();
        return new FakeUpstream(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
