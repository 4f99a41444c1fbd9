using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Domain.Proxy.Upstreams;

namespace CliProxy.Tests.Domain.Proxy.Upstreams;

/// <summary>Retry hints, the invalid-request rule and the fallback error body (spec usage §5.4–5.5).</summary>
[Unit]
public sealed class UpstreamErrorsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 12, 0, 0, TimeSpan.Zero);

    private static TimeSpan? Hint(int status, string body, params (string Name, string Value)[] headers) =>
        UpstreamErrors.RetryHint(status, Encoding.UTF8.GetBytes(body),
            name => headers.Where(h => string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault(), Now);

    [Theory]
    [InlineData("30", 30.0)]
    [InlineData(" 5 ", 5.0)]
    [InlineData("Sun, 06 Dec 2026 12:01:30 GMT", 90.0)]
    [InlineData("Sun, 06 Dec 2026 11:59:00 GMT", null)]
    [InlineData("0", null)]
    [InlineData("soon", null)]
    [InlineData("", null)]
    public void Retry_after_values(string value, double? seconds) =>
        Assert.Equal(seconds is { } s ? TimeSpan.FromSeconds(s) : null, UpstreamErrors.RetryAfter(value, Now));

    [Fact]
    public void Gemini_RetryInfo_delay()
    {
        const string body = """
            {"error":{"code":429,"message":"You exceeded your current quota, please check your plan and billing details.","status":"RESOURCE_EXHAUSTED",
             "details":[{"@type":"type.googleapis.com/google.rpc.QuotaFailure","violations":[{"quotaMetric":"generativelanguage.googleapis.com/generate_content_free_tier_requests"}]},
                        {"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"37.5s"}]}}
            """;
        Assert.Equal(TimeSpan.FromSeconds(37.5), Hint(429, body, ("Retry-After", "2")));
    }

    [Theory]
    [InlineData("""{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.ErrorInfo","metadata":{"quotaResetDelay":"1h2m3s"}}]}}""", 3723.0)]
    [InlineData("""{"error":{"message":"Resource has been exhausted. Please retry after 12s."}}""", 12.0)]
    [InlineData("""{"error":{"details":[{"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"250ms"}]}}""", 0.25)]
    public void Google_fallbacks(string body, double seconds) => Assert.Equal(TimeSpan.FromSeconds(seconds), Hint(429, body));

    [Fact]
    public void Codex_usage_limit_resets()
    {
        var at = Now.AddMinutes(10).ToUnixTimeSeconds();
        Assert.Equal(TimeSpan.FromMinutes(10),
            Hint(429, $$$"""{"error":{"type":"usage_limit_reached","message":"The usage limit has been reached","plan_type":"plus","resets_at":{{{at}}},"resets_in_seconds":5}}"""));
        Assert.Equal(TimeSpan.FromSeconds(3600),
            Hint(429, """{"error":{"type":"usage_limit_reached","resets_in_seconds":3600}}"""));
        Assert.Null(Hint(429, """{"error":{"type":"rate_limit_exceeded","resets_in_seconds":3600}}"""));
    }

    [Fact]
    public void Claude_rejected_window_resets_then_retry_after()
    {
        var reset5h = Now.AddMinutes(40).ToUnixTimeSeconds().ToString();
        var reset7d = Now.AddHours(30).ToUnixTimeSeconds().ToString();
        Assert.Equal(TimeSpan.FromHours(30), Hint(429, """{"type":"error","error":{"type":"rate_limit_error","message":"rate limited"}}""",
            ("anthropic-ratelimit-unified-5h-status", "rejected"), ("anthropic-ratelimit-unified-5h-reset", reset5h),
            ("anthropic-ratelimit-unified-7d-status", "rejected"), ("anthropic-ratelimit-unified-7d-reset", reset7d)));
        Assert.Equal(TimeSpan.FromMinutes(40), Hint(429, "",
            ("anthropic-ratelimit-unified-5h-status", "rejected"), ("anthropic-ratelimit-unified-5h-reset", reset5h),
            ("anthropic-ratelimit-unified-7d-status", "allowed"), ("anthropic-ratelimit-unified-7d-reset", reset7d)));
        Assert.Equal(TimeSpan.FromSeconds(20), Hint(429, "not json", ("Retry-After", "20")));
    }

    [Fact]
    public void Only_429_carries_hints() => Assert.Null(Hint(503, "", ("Retry-After", "20")));

    [Theory]
    [InlineData(400, """{"type":"error","error":{"type":"invalid_request_error","message":"max_tokens: Field required"}}""", true)]
    [InlineData(400, """{"error":{"message":"bad","type":"invalid_request_error","code":null}}""", true)]
    [InlineData(400, """{"error":{"code":400,"message":"API key not valid","status":"INVALID_ARGUMENT"}}""", false)]
    [InlineData(429, """{"error":{"type":"invalid_request_error"}}""", false)]
    public void Invalid_request_errors(int status, string body, bool expected) =>
        Assert.Equal(expected, UpstreamErrors.IsInvalidRequest(status, Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void The_client_gets_the_upstream_json_verbatim_else_an_OpenAI_style_error()
    {
        var json = Encoding.UTF8.GetBytes("""{"error":{"message":"quota","code":429}}""");
        Assert.Equal(json, UpstreamErrors.ClientBody(429, json).ToArray());
        var fallback = JsonNode.Parse(UpstreamErrors.ClientBody(502, "<html>Bad Gateway</html>"u8.ToArray()).Span)!;
        Assert.Equal("<html>Bad Gateway</html>", (string?)fallback["error"]!["message"]);
        Assert.Equal("server_error", (string?)fallback["error"]!["type"]);
        Assert.Equal("internal_server_error", (string?)fallback["error"]!["code"]);
        var empty = JsonNode.Parse(UpstreamErrors.ClientBody(401, ReadOnlyMemory<byte>.Empty).Span)!;
        Assert.Equal("upstream returned status 401", (string?)empty["error"]!["message"]);
        Assert.Equal("authentication_error", (string?)empty["error"]!["type"]);
        Assert.Equal(3, empty["error"]!.AsObject().Count);
        Assert.NotEqual(json, UpstreamErrors.ClientBody(500, """{"a":1} trailing"""u8.ToArray()).ToArray());
    }
}
