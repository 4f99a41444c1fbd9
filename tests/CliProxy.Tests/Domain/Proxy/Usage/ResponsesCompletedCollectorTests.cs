using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Domain.Proxy.Usage;

namespace CliProxy.Tests.Domain.Proxy.Usage;

/// <summary>The non-streamed answer of a Codex OAuth call, collected from the stream the ChatGPT backend sends.</summary>
[Unit]
public sealed class ResponsesCompletedCollectorTests
{
    [Fact]
    public void The_completed_response_is_collected_at_every_split()
    {
        var text = UsageScannerTests.ResponsesStream.Replace("\n", "\r\n");
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var cut = 0; cut <= bytes.Length; cut++)
        {
            var c = new ResponsesCompletedCollector();
            c.Feed(bytes.AsSpan(0, cut));
            c.Feed(bytes.AsSpan(cut));
            c.Complete();
            Assert.Equal("response.completed", c.TerminalType);
            var response = JsonNode.Parse(c.Response!.Value.Span)!;
            Assert.Equal("resp_1", (string?)response["id"]);
            Assert.Equal(155, (int?)response["usage"]!["total_tokens"]);
        }
    }

    [Fact]
    public void A_failed_response_is_kept_and_a_stream_without_terminal_event_has_none()
    {
        var failed = new ResponsesCompletedCollector();
        failed.Feed("data: {\"type\":\"response.failed\",\"response\":{\"id\":\"r\",\"status\":\"failed\",\"error\":{\"code\":\"server_error\"}}}"u8);
        failed.Complete();
        Assert.Equal("response.failed", failed.TerminalType);
        var none = new ResponsesCompletedCollector();
        none.Feed("data: {\"type\":\"response.created\",\"response\":{\"id\":\"r\"}}\n\n"u8);
        none.Complete();
        Assert.Null(none.Response);
    }
}
