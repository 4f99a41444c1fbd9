using System.Net.Http.Headers;
using System.Text;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>
/// <c>streaming.keepalive-seconds: 1</c> through the gateway: while the upstream holds a stream after its first event,
/// the client gets <c>: keep-alive</c> comments, then the rest of the stream unchanged; a whole answer gets none.
/// </summary>
[Http]
public sealed class StreamKeepAliveTests : IAsyncLifetime
{
    private const string ClientKey = "ck-keepalive";
    private FakeOpenAIUpstream _upstream = null!;
    private InProcessGateway _gateway = null!;

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _upstream = await FakeOpenAIUpstream.StartAsync();
        _gateway = InProcessGateway.Prepare($"""
            auth-dir: ./auths
            api-keys: [{ClientKey}]
            streaming:
              keepalive-seconds: 1
            openai-compatibility:
              - name: fake
                base-url: {_upstream.BaseUrl}
                api-key-entries:
                  - api-key: k-ok
                models:
                  - name: up-model
                    alias: short
            """);
        await _gateway.StartAsync();
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private HttpRequestMessage Chat(bool stream)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = new StringContent($$"""{"model":"short","stream":{{(stream ? "true" : "false")}},"messages":[]}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", ClientKey);
        return request;
    }

    [Fact]
    public async Task A_held_stream_gets_comments_between_its_events()
    {
        using var response = await _gateway.Client.SendAsync(Chat(stream: true), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(200, (int)response.StatusCode);
        await using var body = await response.Content.ReadAsStreamAsync();
        var seen = new StringBuilder();
        var buffer = new byte[4096];
        async Task UntilCommentAsync()
        {
            while (!seen.ToString().Contains(": keep-alive\n\n")) seen.Append(Encoding.UTF8.GetString(buffer, 0, await body.ReadAsync(buffer)));
        }
        await UntilCommentAsync().WaitAsync(TimeSpan.FromSeconds(10)); // the upstream holds the stream after its first event

        _upstream.ReleaseStream();
        seen.Append(await new StreamReader(body).ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(10)));

        var events = seen.ToString().Split("\n\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("data: {\"model\":\"up-model\"", events[0]);
        Assert.Equal("data: [DONE]", events[^1]);
        Assert.All(events, e => Assert.True(e.StartsWith("data: ", StringComparison.Ordinal) || e == ": keep-alive", e));
    }

    [Fact]
    public async Task A_whole_answer_is_left_as_it_is()
    {
        using var response = await _gateway.Client.SendAsync(Chat(stream: false));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(200, (int)response.StatusCode);
        Assert.StartsWith("{\"id\":\"c1\"", body);
    }
}
