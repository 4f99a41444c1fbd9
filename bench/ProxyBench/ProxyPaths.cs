using System.Net.Http.Headers;
using System.Text;
using CliProxy.Bench;

namespace CliProxy.ProxyBench;

/// <summary>
/// One way to the fake upstream: its base address, the client key it wants (if any), the unreported warm-up it needs
/// (JIT) and, for a proxy in its own processes, the reader of their CPU time and (the gateway) of the bytes it allocated.
/// </summary>
public sealed record ProxyPath(string Name, Uri BaseAddress, string? ClientKey, double WarmupSeconds = 1, Func<TimeSpan>? Cpu = null,
    Func<Task<long?>>? Allocated = null)
{
    /// <summary>The small chat request, non-streaming or streaming, as a scenario on this path.</summary>
    public Scenario Chat(bool stream) => new($"{Name}{(stream ? " (stream)" : "")}", _ =>
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, "/v1/chat/completions"));
        if (ClientKey is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ClientKey);
        request.Content = new StringContent(stream ? StreamBody : Body, Encoding.UTF8, "application/json");
        return request;
    }, Streaming: stream);

    private const string Body = """{"model":"bench-model","messages":[{"role":"user","content":"ping"}]}""";
    private const string StreamBody = """{"model":"bench-model","stream":true,"messages":[{"role":"user","content":"ping"}]}""";
}

/// <summary>The gateway's config for the benchmark: one OpenAI-compatible provider (the fake), one client key.</summary>
public static class GatewayConfig
{
    public const string ClientKey = "sk-proxy-bench-client";

    /// <summary>
    /// The config.yaml text for <paramref name="port"/>, upstream <paramref name="upstream"/>, usage statistics on or
    /// off. The application log (an access line per request) goes to <c>logs/main.log</c>, as nginx's access log goes
    /// to its file: both write a line per request, neither to the benchmark's console pipe.
    /// </summary>
    public static string For(int port, Uri upstream, bool usage) => $"""
        host: "127.0.0.1"
        port: {port}
        remote-management:
          allow-remote: false
          secret-key: "{GatewayUnderTest.Key}"
        auth-dir: "./auths"
        api-keys:
          - "{ClientKey}"
        debug: false
        logging-to-file: true
        request-log: false
        usage-statistics-enabled: {(usage ? "true" : "false")}
        request-retry: 0
        openai-compatibility:
          - name: "fake"
            base-url: "{new Uri(upstream, "/v1")}"
            api-key-entries:
              - api-key: "sk-fake-upstream"
            models:
              - name: "fake-model"
                alias: "bench-model"
        """;
}
