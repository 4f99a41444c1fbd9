using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Tests.Domain.Proxy;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>A gateway with <c>request-log: true</c> in front of a <see cref="FakeOpenAIUpstream"/>, whose keys are long enough to be masked.</summary>
public sealed class RequestLogProxyGateway : IAsyncLifetime
{
    /// <summary>The client key.</summary>
    public const string ClientKey = "client-rlog";

    /// <summary>An upstream key the fake answers with 429 (it is in <see cref="FakeOpenAIUpstream.RateLimited"/>).</summary>
    public const string LimitedKey = "sk-limited-aaaa1111";

    /// <summary>An upstream key the fake serves.</summary>
    public const string GoodKey = "sk-good-bbbb2222";

    /// <summary>The upstream.</summary>
    public FakeOpenAIUpstream Upstream { get; private set; } = null!;

    /// <summary>The gateway.</summary>
    public InProcessGateway Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        Upstream = await FakeOpenAIUpstream.StartAsync();
        Upstream.RateLimited[LimitedKey] = true;
        string Provider(string name, string model, params string[] keys) => $"""
              - name: {name}
                base-url: {Upstream.BaseUrl}
                api-key-entries:
            {string.Concat(keys.Select(k => $"      - api-key: {k}\n"))}    models:
                  - name: {model}

            """;
        Gateway = InProcessGateway.Prepare($"""
            remote-management:
              secret-key: {Mgmt.Key}
            api-keys: [{ClientKey}]
            request-log: true
            openai-compatibility:
            {Provider("retry", "r-model", LimitedKey, GoodKey)}{Provider("stream", "s-model", GoodKey)}{Provider("broken", "e-model", "k-500")}
            """).WithServices(services => services.Insert(0, ServiceDescriptor.Singleton<IUpstreamExecutor>(new TestOpenAIChatExecutor(Upstream.BaseUrl))));
        await Gateway.StartAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Upstream.DisposeAsync();
    }
}

/// <summary>
/// The upstream sections of a request log (spec §2.4, masking §2.6): one <c>API REQUEST n</c> per attempt, the failed
/// attempts' <c>API ERROR RESPONSE</c>, one <c>API RESPONSE n</c> per answer (a stream's events as they came), only while
/// <c>request-log</c> is on.
/// </summary>
[Http]
public sealed class ProxyRequestLogTests(RequestLogProxyGateway fixture) : IClassFixture<RequestLogProxyGateway>
{
    private TestGateway G => fixture.Gateway;

    private string LogDir => Path.Combine(G.Directory, "logs");

    private Task<Reply> Chat(string model, bool stream = false) =>
        G.Raw("POST", "/v1/chat/completions", $$"""{"model":"{{model}}","stream":{{(stream ? "true" : "false")}},"messages":[]}""",
            [("Authorization", "Bearer " + RequestLogProxyGateway.ClientKey)]);

    private async Task<string> LogOf(Reply reply, string prefix = "")
    {
        var pattern = $"{prefix}v1-chat-completions-*-{reply.Header("X-Request-Id")}.log";
        string? found = null;
        await Mgmt.Eventually(() =>
        {
            found = Directory.Exists(LogDir) ? Directory.GetFiles(LogDir, pattern).FirstOrDefault() : null;
            return Task.FromResult(found is not null);
        }, TimeSpan.FromSeconds(10), "the request log " + pattern);
        return await File.ReadAllTextAsync(found!);
    }

    private static void AssertInOrder(string text, params string[] parts)
    {
        var at = 0;
        foreach (var part in parts)
        {
            var next = text.IndexOf(part, at, StringComparison.Ordinal);
            Assert.True(next >= 0, $"'{part}' after position {at} in:\n{text}");
            at = next + part.Length;
        }
    }

    [Fact]
    public async Task A_failed_attempt_and_the_serving_one_are_logged_in_order_with_the_keys_masked()
    {
        var reply = await Chat("r-model");
        Assert.Equal(200, reply.Status);
        var text = await LogOf(reply);
        var url = fixture.Upstream.BaseUrl + "/chat/completions";
        AssertInOrder(text,
            "=== REQUEST BODY ===\n",
            "\n\n=== API REQUEST 1 ===\nTimestamp: ",
            $"\nUpstream URL: {url}\nHTTP Method: POST\nAuth: provider=retry, auth_id=openai-compatibility[retry][0], label=retry, type=api_key value=sk-l...1111\nHeaders:\n",
            "Authorization: Bearer sk-l...1111\n", "Content-Type: application/json\n",
            "Body:\n{\"model\":\"r-model\"",
            "\n\n=== API REQUEST 2 ===\n", "type=api_key value=sk-g...2222\n", "Authorization: Bearer sk-g...2222\n",
            "\n\n=== API ERROR RESPONSE ===\nHTTP Status: 429\n{\"error\":{\"message\":\"rate limited\",\"type\":\"rate_limit_error\"}}\n",
            "\n=== API RESPONSE 1 ===\nTimestamp: ", "\nStatus: 429\nHeaders:\n", "Retry-After: 60\n", "Body:\n{\"error\":{\"message\":\"rate limited\"",
            "\n\n=== API RESPONSE 2 ===\n", "\nStatus: 200\n", "Body:\n{\"id\":\"c1\",\"model\":\"r-model\"",
            "\n\n=== RESPONSE ===\nStatus: 200\n");
        Assert.DoesNotContain("=== API REQUEST 3 ===", text);
        Assert.DoesNotContain(RequestLogProxyGateway.LimitedKey, text);
        Assert.DoesNotContain(RequestLogProxyGateway.GoodKey, text);
    }

    [Fact]
    public async Task A_streamed_answer_is_logged_event_by_event()
    {
        fixture.Upstream.ReleaseStream();
        var reply = await Chat("s-model", stream: true);
        Assert.Equal(200, reply.Status);
        var text = await LogOf(reply);
        AssertInOrder(text,
            "=== API REQUEST 1 ===\n", "\"stream\":true",
            "=== API RESPONSE 1 ===\n", "Status: 200\n", "Content-Type: text/event-stream\n",
            "Body:\ndata: {\"model\":\"s-model\",\"choices\":[{\"delta\":{\"content\":\"Hel\"}}]}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"lo\"}}]",
            "\n\ndata: [DONE]\n\n=== RESPONSE ===\n");
        Assert.DoesNotContain("=== API ERROR RESPONSE ===", text);
    }

    [Fact]
    public async Task Error_only_logs_have_no_upstream_sections()
    {
        await G.Ok("PUT", "/request-log", """{"value":false}""");
        try
        {
            var reply = await Chat("e-model");
            Assert.Equal(500, reply.Status);
            var text = await LogOf(reply, "error-");
            Assert.Contains("=== REQUEST BODY ===\n", text);
            Assert.Contains("=== RESPONSE ===\nStatus: 500\n", text);
            Assert.DoesNotContain("=== API", text);
        }
        finally
        {
            await G.Ok("PUT", "/request-log", """{"value":true}""");
        }
    }
}
