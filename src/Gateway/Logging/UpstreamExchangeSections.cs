using System.Globalization;
using System.Text;
using CliProxy.Domain.Logging;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// The upstream sections of a request log (spec §2.4), between <c>REQUEST BODY</c> and <c>RESPONSE</c>: one
/// <c>=== API REQUEST n ===</c> per attempt that sent a request, one <c>=== API ERROR RESPONSE ===</c> per failed attempt,
/// one <c>=== API RESPONSE n ===</c> per attempt that got an answer (n: its request's number); empty sections are left
/// out, and each section is preceded by a blank line. Headers are sorted by name and masked (§2.6), the URL's query too; the key of an <c>api_key</c> credential is
/// shown masked. A response body is the upstream's bytes as they came: an event stream's events keep the blank lines
/// that separate them. Each body shows its first <see cref="BodyCapture.DefaultLimit"/> bytes and says how many more
/// there were.
/// </summary>
public static class UpstreamExchangeSections
{
    /// <summary>RFC 3339 with the 100-nanosecond ticks .NET has, and the local offset (as <c>REQUEST INFO</c>).</summary>
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss.fffffffzzz";

    /// <summary>Appends the sections of <paramref name="log"/> to <paramref name="text"/>, each after a blank line.</summary>
    public static void Append(StringBuilder text, UpstreamExchangeLog log)
    {
        var numbers = new int[log.Attempts.Count];
        var sent = 0;
        for (var i = 0; i < numbers.Length; i++)
            if (log.Attempts[i].Request is { } request)
            {
                numbers[i] = ++sent;
                AppendRequest(text, sent, log.Attempts[i].Auth, request);
            }
        foreach (var attempt in log.Attempts)
            if (attempt.Error is { } error)
                text.Append("\n=== API ERROR RESPONSE ===\n").Append("HTTP Status: ").Append(error.Status).Append('\n').Append(error.Text.TrimEnd('\r', '\n')).Append('\n');
        for (var i = 0; i < numbers.Length; i++)
            if (log.Attempts[i].Answer is { } answer)
            {
                text.Append("\n=== API RESPONSE ").Append(numbers[i]).Append(" ===\n")
                    .Append("Timestamp: ").Append(Stamp(answer.At)).Append('\n')
                    .Append("Status: ").Append(answer.Status).Append('\n');
                AppendHeadersAndBody(text, answer.Headers, answer.Body);
            }
    }

    private static void AppendRequest(StringBuilder text, int number, string auth, SentRequest request)
    {
        var url = request.Url.GetLeftPart(UriPartial.Path);
        text.Append("\n=== API REQUEST ").Append(number).Append(" ===\n")
            .Append("Timestamp: ").Append(Stamp(request.At)).Append('\n')
            .Append("Upstream URL: ").Append(SecretMask.PathAndQuery(url, request.Url.Query)).Append('\n')
            .Append("HTTP Method: ").Append(request.Method).Append('\n')
            .Append("Auth: ").Append(auth).Append('\n');
        AppendHeadersAndBody(text, request.Headers, request.Body);
    }

    private static void AppendHeadersAndBody(StringBuilder text, IReadOnlyList<KeyValuePair<string, string>> headers, BodyCapture body)
    {
        text.Append("Headers:\n");
        if (headers.Count == 0) text.Append("<none>\n");
        foreach (var (name, value) in headers.OrderBy(h => h.Key, StringComparer.OrdinalIgnoreCase))
            text.Append(name).Append(": ").Append(SecretMask.HeaderValue(name, value)).Append('\n');
        text.Append("Body:\n");
        if (body.Total == 0) text.Append("<empty>");
        else text.Append(Encoding.UTF8.GetString(body.Kept).TrimEnd('\r', '\n'));
        if (body.Dropped > 0) text.Append($"\n[{body.Dropped} more bytes not logged]");
        text.Append('\n');
    }

    private static string Stamp(DateTimeOffset at) => at.ToString(TimestampFormat, CultureInfo.InvariantCulture);
}
