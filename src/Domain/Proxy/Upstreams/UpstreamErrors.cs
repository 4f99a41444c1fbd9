using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// Reading an upstream's error answer (spec usage §5.4–5.5; the reference's executors and <c>helps</c>): the
/// retry hint a 429 carries, whether a 400 is the client's fault, and the OpenAI-style body used when the
/// upstream's is not JSON. Pure functions; the caller supplies the time.
/// </summary>
public static partial class UpstreamErrors
{
    /// <summary>
    /// The wait an error asks for, or null when it names none: Codex's <c>usage_limit_reached</c>
    /// (<c>error.resets_at</c>, else <c>error.resets_in_seconds</c>), Google's <c>RetryInfo.retryDelay</c> (else
    /// <c>ErrorInfo.metadata.quotaResetDelay</c>, else "after Ns" in the message), Anthropic's rate-limit reset
    /// headers of a rejected window, then <c>Retry-After</c>. Only 429 answers carry hints. Values in the past are no hint.
    /// </summary>
    public static TimeSpan? RetryHint(int status, ReadOnlySpan<byte> body, Func<string, string?> header, DateTimeOffset now)
    {
        if (status != 429) return null;
        JsonNode? root = null;
        try { root = body.IsEmpty ? null : JsonNode.Parse(body); }
        catch (JsonException) { }
        return CodexReset(root, now) ?? GoogleRetryDelay(root) ?? ClaudeReset(header, now) ?? RetryAfter(header("Retry-After"), now);
    }

    /// <summary>The wait of a <c>Retry-After</c> value: delta seconds or an HTTP date; null when absent, unparsable or past.</summary>
    public static TimeSpan? RetryAfter(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        value = value.Trim();
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            return seconds > 0 ? TimeSpan.FromSeconds(seconds) : null;
        return DateTimeOffset.TryParseExact(value, "r", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) && at > now
            ? at - now : null;
    }

    /// <summary>Codex's reset of a <c>usage_limit_reached</c> error.</summary>
    private static TimeSpan? CodexReset(JsonNode? root, DateTimeOffset now)
    {
        if (root?["error"] is not JsonObject error || Text(error["type"]) != "usage_limit_reached") return null;
        if (Number(error["resets_at"]) is > 0 and var at && DateTimeOffset.FromUnixTimeSeconds(at) > now)
            return DateTimeOffset.FromUnixTimeSeconds(at) - now;
        return Number(error["resets_in_seconds"]) is > 0 and var s ? TimeSpan.FromSeconds(s) : null;
    }

    /// <summary>Google's <c>RetryInfo</c> (Gemini, Vertex).</summary>
    private static TimeSpan? GoogleRetryDelay(JsonNode? root)
    {
        if (root?["error"] is not JsonObject error) return null;
        if (error["details"] is JsonArray details)
        {
            foreach (var detail in details)
                if (Text(detail?["@type"]) == "type.googleapis.com/google.rpc.RetryInfo" && GoDuration(Text(detail?["retryDelay"])) is { } delay)
                    return delay;
            foreach (var detail in details)
                if (Text(detail?["@type"]) == "type.googleapis.com/google.rpc.ErrorInfo" && GoDuration(Text(detail?["metadata"]?["quotaResetDelay"])) is { } reset)
                    return reset;
        }
        return Text(error["message"]) is { } message && AfterSeconds().Match(message.ToLowerInvariant()) is { Success: true } m
            ? GoDuration(m.Groups[1].Value) : null;
    }

    /// <summary>Anthropic's unified rate-limit headers: the latest reset among the rejected windows.</summary>
    private static TimeSpan? ClaudeReset(Func<string, string?> header, DateTimeOffset now)
    {
        DateTimeOffset? latest = null;
        void Consider(string statusHeader, string resetHeader)
        {
            if (!string.Equals(header(statusHeader)?.Trim(), "rejected", StringComparison.OrdinalIgnoreCase)) return;
            if (UnixOrTimestamp(header(resetHeader)) is { } at && at > now && (latest is null || at > latest)) latest = at;
        }
        Consider("anthropic-ratelimit-unified-status", "anthropic-ratelimit-unified-reset");
        Consider("anthropic-ratelimit-unified-5h-status", "anthropic-ratelimit-unified-5h-reset");
        Consider("anthropic-ratelimit-unified-7d-status", "anthropic-ratelimit-unified-7d-reset");
        return latest - now;
    }

    /// <summary>Whether an error goes back to the client at once instead of trying the next credential (spec §5.5).</summary>
    public static bool IsInvalidRequest(int status, ReadOnlySpan<byte> body) =>
        status == 400 && body.IndexOf("invalid_request_error"u8) >= 0;

    /// <summary>
    /// The body the client gets for an upstream error (spec §5.5): the upstream's own when it is JSON, else
    /// <c>{"error":{"message","type","code"}}</c> with the upstream's text as message.
    /// </summary>
    public static ReadOnlyMemory<byte> ClientBody(int status, ReadOnlyMemory<byte> upstreamBody)
    {
        if (IsJson(upstreamBody.Span)) return upstreamBody;
        var message = System.Text.Encoding.UTF8.GetString(upstreamBody.Span).Trim();
        return OpenAIError(message.Length > 0 ? message : $"upstream returned status {status}", TypeFor(status), CodeFor(status));
    }

    /// <summary>An OpenAI-style error body <c>{"error":{"message","type","code"}}</c>.</summary>
    public static byte[] OpenAIError(string message, string type, string code) =>
        JsonSerializer.SerializeToUtf8Bytes(new JsonObject
        {
            ["error"] = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = code },
        });

    /// <summary>The OpenAI error type for an HTTP status.</summary>
    public static string TypeFor(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "not_found_error",
        429 => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    /// <summary>The OpenAI error code for an HTTP status.</summary>
    public static string CodeFor(int status) => status switch
    {
        401 => "invalid_api_key",
        403 => "insufficient_quota",
        404 => "model_not_found",
        429 => "rate_limit_exceeded",
        >= 500 => "internal_server_error",
        _ => "invalid_request_error",
    };

    private static bool IsJson(ReadOnlySpan<byte> body)
    {
        if (body.IsEmpty) return false;
        try
        {
            var reader = new Utf8JsonReader(body);
            reader.Read();
            reader.Skip();
            return !reader.Read() && reader.BytesConsumed == body.Length;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string? Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static long? Number(JsonNode? node) =>
        node is JsonValue v ? v.TryGetValue<long>(out var n) ? n : v.TryGetValue<double>(out var d) ? (long)d : null : null;

    private static DateTimeOffset? UnixOrTimestamp(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var unix)) return DateTimeOffset.FromUnixTimeSeconds(unix);
        return DateTimeOffset.TryParse(value.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
    }

    /// <summary>A Go duration such as <c>12.5s</c>, <c>1m30s</c>, <c>250ms</c> (the forms Google uses); null when unparsable or not positive.</summary>
    internal static TimeSpan? GoDuration(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var m = GoDurationPattern().Match(text.Trim());
        if (!m.Success) return null;
        var total = TimeSpan.Zero;
        foreach (Capture part in m.Groups["part"].Captures)
        {
            var unitAt = part.Value.IndexOfAny(['h', 'm', 's', 'u', 'µ', 'n']);
            var value = double.Parse(part.Value[..unitAt], CultureInfo.InvariantCulture);
            total += part.Value[unitAt..] switch
            {
                "h" => TimeSpan.FromHours(value),
                "m" => TimeSpan.FromMinutes(value),
                "s" => TimeSpan.FromSeconds(value),
                "ms" => TimeSpan.FromMilliseconds(value),
                "us" or "µs" => TimeSpan.FromMicroseconds(value),
                _ => TimeSpan.FromTicks((long)(value / 100)),
            };
        }
        return total > TimeSpan.Zero ? total : null;
    }

    [GeneratedRegex(@"^(?<part>[0-9]+(?:\.[0-9]+)?(?:h|ms|m|s|us|µs|ns))+$")]
    private static partial Regex GoDurationPattern();

    [GeneratedRegex(@"after\s+((?:[0-9]+h)?(?:[0-9]+m)?(?:[0-9]+s))\.?")]
    private static partial Regex AfterSeconds();
}
