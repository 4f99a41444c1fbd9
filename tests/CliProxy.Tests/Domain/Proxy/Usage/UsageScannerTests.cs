using System.Text;
using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Domain.Proxy.Usage;
using CliProxy.Domain.Usage;

namespace CliProxy.Tests.Domain.Proxy.Usage;

/// <summary>Token extraction per upstream protocol (spec usage §1.4) from bodies and from streams split anywhere.</summary>
[Unit]
public sealed class UsageScannerTests
{
    private static UsageTokens? Scan(IUsageScanner scanner, string text)
    {
        scanner.Feed(Encoding.UTF8.GetBytes(text));
        return scanner.Tokens;
    }

    /// <summary>Feeds <paramref name="text"/> split at every byte boundary (two chunks) and byte by byte; all must agree.</summary>
    private static void AssertEverySplit(Func<IUsageScanner> make, string text, UsageTokens? expected)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var s = make();
            s.Feed(bytes.AsSpan(0, cut));
            s.Feed(bytes.AsSpan(cut));
            Assert.True(expected == s.Tokens, $"split at {cut}: {s.Tokens}");
        }
        var one = make();
        foreach (var b in bytes) one.Feed([b]);
        Assert.Equal(expected, one.Tokens);
    }

    public const string OpenAIStream =
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"Hi\"}}],\"usage\":null}\n\n" +
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}],\"usage\":null}\n\n" +
        "data: {\"id\":\"chatcmpl-1\",\"object\":\"chat.completion.chunk\",\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,\"total_tokens\":29,\"prompt_tokens_details\":{\"cached_tokens\":3},\"completion_tokens_details\":{\"reasoning_tokens\":4}}}\n\n" +
        "data: [DONE]\n\n";

    public const string ResponsesStream =
        "event: response.created\ndata: {\"type\":\"response.created\",\"response\":{\"id\":\"resp_1\",\"status\":\"in_progress\",\"usage\":null}}\n\n" +
        "event: response.output_text.delta\ndata: {\"type\":\"response.output_text.delta\",\"delta\":\"Hello \\\"there\\\"\"}\n\n" +
        "event: response.completed\ndata: {\"type\":\"response.completed\",\"response\":{\"id\":\"resp_1\",\"status\":\"completed\",\"usage\":{\"input_tokens\":120,\"input_tokens_details\":{\"cached_tokens\":64},\"output_tokens\":35,\"output_tokens_details\":{\"reasoning_tokens\":12},\"total_tokens\":155}}}\n\n";

    public const string ClaudeStream =
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5\",\"content\":[],\"usage\":{\"input_tokens\":25,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n" +
        "event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hi\"}}\n\n" +
        "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"input_tokens\":25,\"cache_read_input_tokens\":100,\"output_tokens\":15}}\n\n" +
        "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";

    public const string GeminiStream =
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hel\"}],\"role\":\"model\"},\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":1,\"totalTokenCount\":9},\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n" +
        "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"lo\"}],\"role\":\"model\"},\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":5,\"thoughtsTokenCount\":20,\"cachedContentTokenCount\":2,\"totalTokenCount\":33},\"modelVersion\":\"gemini-2.5-flash\"}\r\n\r\n";

    [Fact]
    public void OpenAI_stream_reads_the_usage_chunk_at_every_split() =>
        AssertEverySplit(() => new OpenAIUsageScanner(), OpenAIStream, new UsageTokens(19, 10, 4, 3, 29));

    [Fact]
    public void Responses_stream_reads_response_completed_at_every_split() =>
        AssertEverySplit(() => new ResponsesUsageScanner(), ResponsesStream, new UsageTokens(120, 35, 12, 64, 155));

    [Fact]
    public void Claude_stream_reads_message_delta_not_the_nested_message_start_usage_at_every_split() =>
        AssertEverySplit(() => new ClaudeUsageScanner(), ClaudeStream, new UsageTokens(25, 15, 0, 100, 40));

    [Fact]
    public void Gemini_stream_reads_only_the_final_chunk_with_CRLF_at_every_split() =>
        AssertEverySplit(() => new GeminiUsageScanner(), GeminiStream, new UsageTokens(8, 5, 20, 2, 33));

    [Fact]
    public void A_stream_with_CRLF_and_LF_mixed_and_comments_is_read()
    {
        var text = ": keep-alive\r\n\r\nevent: message_delta\r\ndata: {\"type\":\"message_delta\",\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}\n\n";
        AssertEverySplit(() => new ClaudeUsageScanner(), text, new UsageTokens(1, 2, 0, 0, 3));
    }

    [Fact]
    public void The_first_event_with_usage_wins_in_a_stream()
    {
        var text = "data: {\"usage\":{\"input_tokens\":1,\"output_tokens\":2}}\n\ndata: {\"usage\":{\"input_tokens\":7,\"output_tokens\":9}}\n\n";
        Assert.Equal(new UsageTokens(1, 2, 0, 0, 3), Scan(new ClaudeUsageScanner(), text));
    }

    [Fact]
    public void A_last_event_without_its_blank_line_still_counts() =>
        Assert.Equal(new UsageTokens(19, 10, 0, 0, 29),
            Scan(new OpenAIUsageScanner(), "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":10,\"total_tokens\":29}}"));

    [Fact]
    public void Reading_tokens_mid_stream_loses_nothing()
    {
        var s = new GeminiUsageScanner();
        var half = GeminiStream.Length / 2;
        s.Feed(Encoding.UTF8.GetBytes(GeminiStream[..half]));
        Assert.Null(s.Tokens);
        s.Feed(Encoding.UTF8.GetBytes(GeminiStream[half..]));
        Assert.Equal(new UsageTokens(8, 5, 20, 2, 33), s.Tokens);
    }

    [Fact]
    public void A_stream_without_usage_has_none()
    {
        Assert.Null(Scan(new OpenAIUsageScanner(), "data: {\"choices\":[{\"delta\":{\"content\":\"x\"}}],\"usage\":null}\n\ndata: [DONE]\n\n"));
        Assert.Null(Scan(new GeminiUsageScanner(), GeminiStream.Split("\r\n\r\n")[0] + "\r\n\r\n"));
        Assert.Null(Scan(new ResponsesUsageScanner(), ResponsesStream.Split("\n\n")[0] + "\n\n"));
    }

    [Fact]
    public void A_zero_usage_chunk_does_not_hide_a_later_real_one()
    {
        var text = "data: {\"usage\":{\"prompt_tokens\":0,\"completion_tokens\":0,\"total_tokens\":0}}\n\ndata: {\"usage\":{\"prompt_tokens\":4,\"completion_tokens\":6,\"total_tokens\":10}}\n\n";
        Assert.Equal(new UsageTokens(4, 6, 0, 0, 10), Scan(new OpenAIUsageScanner(), text));
        Assert.Equal(new UsageTokens(), Scan(new OpenAIUsageScanner(), text.Split("\n\n")[0] + "\n\n"));
    }

    [Fact]
    public void Multi_line_data_of_one_event_is_one_document() =>
        Assert.Equal(new UsageTokens(3, 4, 0, 0, 3 + 4),
            Scan(new ClaudeUsageScanner(), "data: {\"type\":\"message_delta\",\ndata: \"usage\":{\"input_tokens\":3,\"output_tokens\":4}}\n\n"));

    [Fact]
    public void A_huge_text_delta_is_streamed_through_without_being_held()
    {
        var big = new string('x', 3_000_000);
        var s = new ClaudeUsageScanner();
        s.Feed(Encoding.UTF8.GetBytes("data: {\"type\":\"content_block_delta\",\"delta\":{\"text\":\"" + big + "\"}}\n\n"));
        s.Feed(Encoding.UTF8.GetBytes("data: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":9}}\n\n"));
        Assert.Equal(new UsageTokens(0, 9, 0, 0, 9), s.Tokens);
    }

    // Non-streamed bodies, one row of §1.4 each, including the fallbacks.
    [Theory]
    [InlineData("{\"id\":\"chatcmpl-9\",\"object\":\"chat.completion\",\"choices\":[{\"message\":{\"role\":\"assistant\",\"content\":\"{\\\"usage\\\":1}\"}}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":7,\"total_tokens\":19,\"prompt_tokens_details\":{\"cached_tokens\":2},\"completion_tokens_details\":{\"reasoning_tokens\":5}}}", 12, 7, 5, 2, 19)]
    [InlineData("{\"usage\":{\"input_tokens\":12,\"output_tokens\":7,\"input_tokens_details\":{\"cached_tokens\":2},\"output_tokens_details\":{\"reasoning_tokens\":5}}}", 12, 7, 5, 2, 0)]
    [InlineData("{\"usage\":{\"prompt_tokens\":0,\"input_tokens\":99,\"completion_tokens\":1}}", 0, 1, 0, 0, 0)]
    public void OpenAI_body(string body, long i, long o, long r, long c, long t) =>
        Assert.Equal(new UsageTokens(i, o, r, c, t), Scan(new OpenAIUsageScanner(), body));

    [Fact]
    public void OpenAI_stream_reads_only_chat_completions_names() =>
        Assert.Equal(new UsageTokens(0, 0, 0, 0, 20), Scan(new OpenAIUsageScanner(), "data: {\"usage\":{\"input_tokens\":12,\"output_tokens\":8,\"total_tokens\":20}}\n\n"));

    [Theory]
    [InlineData("{\"type\":\"response.completed\",\"response\":{\"usage\":{\"input_tokens\":5,\"output_tokens\":6,\"total_tokens\":11,\"input_tokens_details\":{\"cached_tokens\":1},\"output_tokens_details\":{\"reasoning_tokens\":2}}}}", 5, 6, 2, 1, 11)]
    [InlineData("{\"id\":\"resp_2\",\"object\":\"response\",\"status\":\"completed\",\"output\":[],\"usage\":{\"input_tokens\":5,\"output_tokens\":6,\"total_tokens\":11,\"input_tokens_details\":{\"cached_tokens\":0},\"output_tokens_details\":{\"reasoning_tokens\":0}}}", 5, 6, 0, 0, 11)]
    public void Responses_body(string body, long i, long o, long r, long c, long t) =>
        Assert.Equal(new UsageTokens(i, o, r, c, t), Scan(new ResponsesUsageScanner(), body));

    [Theory]
    [InlineData("{\"id\":\"msg_1\",\"type\":\"message\",\"content\":[{\"type\":\"text\",\"text\":\"hi\"}],\"usage\":{\"input_tokens\":30,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":900,\"output_tokens\":12}}", 30, 12, 0, 900, 42)]
    [InlineData("{\"usage\":{\"input_tokens\":30,\"cache_creation_input_tokens\":500,\"cache_read_input_tokens\":0,\"output_tokens\":12}}", 30, 12, 0, 500, 42)]
    public void Claude_body(string body, long i, long o, long r, long c, long t) =>
        Assert.Equal(new UsageTokens(i, o, r, c, t), Scan(new ClaudeUsageScanner(), body));

    [Theory]
    [InlineData("{\"candidates\":[{\"finishReason\":\"STOP\"}],\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":5,\"thoughtsTokenCount\":3,\"cachedContentTokenCount\":1,\"totalTokenCount\":16}}", 8, 5, 3, 1, 16)]
    [InlineData("{\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":5,\"thoughtsTokenCount\":3}}", 8, 5, 3, 0, 16)]
    [InlineData("{\"usage_metadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":5,\"totalTokenCount\":0}}", 8, 5, 0, 0, 13)]
    public void Gemini_body(string body, long i, long o, long r, long c, long t) =>
        Assert.Equal(new UsageTokens(i, o, r, c, t), Scan(new GeminiUsageScanner(), body));

    [Fact]
    public void A_body_split_at_every_byte_is_read() =>
        AssertEverySplit(() => new GeminiUsageScanner(),
            "  {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"a \\\\ \\\"b\\\"\"}]}}],\"usageMetadata\":{\"promptTokenCount\":8,\"candidatesTokenCount\":5,\"totalTokenCount\":13}}",
            new UsageTokens(8, 5, 0, 0, 13));

    [Fact]
    public void A_body_without_usage_or_broken_has_none()
    {
        Assert.Null(Scan(new OpenAIUsageScanner(), "{\"choices\":[]}"));
        Assert.Null(Scan(new ClaudeUsageScanner(), "{\"error\":{\"type\":\"overloaded_error\""));
        Assert.Null(Scan(new GeminiUsageScanner(), ""));
    }

    [Fact]
    public void Paths_too_deep_or_too_long_to_be_wanted_are_stepped_over()
    {
        var deep = string.Concat(Enumerable.Repeat("{\"a\":[", 40)) + "1" + string.Concat(Enumerable.Repeat("]}", 40));
        var longKey = new string('k', 200);
        var body = "{\"x\":" + deep + ",\"" + longKey + "\":{\"" + longKey + "\":{\"usage\":{\"prompt_tokens\":99}}},"
            + "\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2,\"total_tokens\":9}}";
        AssertEverySplit(() => new OpenAIUsageScanner(), body, new UsageTokens(7, 2, 0, 0, 9));
    }

    [Fact]
    public void A_scanner_is_made_without_per_scanner_arrays()
    {
        _ = new OpenAIUsageScanner(); // the kind's shared path set is made once
        var before = GC.GetAllocatedBytesForCurrentThread();
        _ = new OpenAIUsageScanner();
        var bytes = GC.GetAllocatedBytesForCurrentThread() - before;
        // Two objects (the SSE reader and its JSON scanner with fixed buffers); per-scanner arrays took ~1.5 KB.
        Assert.InRange(bytes, 1, 1024);
    }

    [Fact]
    public void A_path_set_refuses_more_paths_or_longer_paths_than_a_scanner_holds()
    {
        Assert.Throws<ArgumentException>(() => new JsonFieldPaths([.. Enumerable.Range(0, JsonFieldScanner.MaxPaths + 1).Select(i => "p" + i)]));
        Assert.Throws<ArgumentException>(() => new JsonFieldPaths(new string('p', JsonFieldScanner.MaxPath + 1)));
        Assert.Single(new JsonFieldPaths(new string('p', JsonFieldScanner.MaxPath)).Utf8);
    }
}
