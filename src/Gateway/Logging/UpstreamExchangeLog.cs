using CliProxy.Domain.Logging;
using CliProxy.Domain.Proxy;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// The upstream attempts of one request, for its request log (spec §2.4: <c>API REQUEST n</c>, <c>API ERROR RESPONSE</c>,
/// <c>API RESPONSE n</c>): a request feature that <see cref="RequestLogMiddleware"/> sets only while <c>request-log</c>
/// is on, and that the proxy's forwarder records into when it is there. Without it the forwarder records nothing and
/// costs nothing (error-only logs have no upstream sections, as in the reference). Attempts of one request run one
/// after the other, and the log is read after the request's pipeline returned: no locking.
/// </summary>
public sealed class UpstreamExchangeLog(TimeProvider time)
{
    private readonly List<UpstreamAttemptLog> _attempts = [];

    /// <summary>The attempts, in the order they began.</summary>
    public IReadOnlyList<UpstreamAttemptLog> Attempts => _attempts;

    /// <summary>The request's log, or null while <c>request-log</c> is off (or outside the logging middleware).</summary>
    public static UpstreamExchangeLog? Of(HttpContext context) => context.Features.Get<UpstreamExchangeLog>();

    /// <summary>Gives <paramref name="context"/> a new log and returns it.</summary>
    public static UpstreamExchangeLog AttachTo(HttpContext context, TimeProvider time)
    {
        var log = new UpstreamExchangeLog(time);
        context.Features.Set(log);
        return log;
    }

    /// <summary>Starts the record of an attempt on <paramref name="credential"/>.</summary>
    public UpstreamAttemptLog Begin(UpstreamCredential credential)
    {
        var attempt = new UpstreamAttemptLog(AuthOf(credential), time);
        _attempts.Add(attempt);
        return attempt;
    }

    /// <summary>
    /// The <c>Auth:</c> line's value as the reference writes it: <c>provider=…, auth_id=…, label=…,</c> then
    /// <c>type=api_key value=&lt;masked key&gt;</c> or <c>type=oauth</c>. The label is the reference's: an auth file's
    /// account (its <c>source</c>), an <c>openai-compatibility</c> entry's name, else <c>&lt;provider&gt;-apikey</c>.
    /// </summary>
    public static string AuthOf(UpstreamCredential credential)
    {
        var (label, type) = credential.Secret switch
        {
            UpstreamSecret.ApiKey key => (credential.Protocol == UpstreamProtocol.OpenAIChat ? credential.Provider : credential.Provider + "-apikey",
                "type=api_key value=" + SecretMask.HideKey(key.Key)),
            _ => (credential.Source, "type=oauth"),
        };
        return label.Length > 0
            ? $"provider={credential.Provider}, auth_id={credential.Id}, label={label}, {type}"
            : $"provider={credential.Provider}, auth_id={credential.Id}, {type}";
    }
}

/// <summary>
/// One upstream attempt as the request log shows it: what was sent (when it was), what came back (status, headers and
/// the body as it passed, its first <see cref="BodyCapture.DefaultLimit"/> bytes kept, the rest counted), and the error
/// when the attempt failed. Header values are kept as sent; the log masks them when it is written.
/// </summary>
public sealed class UpstreamAttemptLog
{
    private readonly TimeProvider _time;

    internal UpstreamAttemptLog(string auth, TimeProvider time)
    {
        Auth = auth;
        _time = time;
    }

    /// <summary>The <c>Auth:</c> line's value (the key already masked).</summary>
    public string Auth { get; }

    /// <summary>The request as sent, or null when none was (no usable token, no request could be built).</summary>
    public SentRequest? Request { get; private set; }

    /// <summary>The upstream's answer, or null when none came.</summary>
    public ReceivedAnswer? Answer { get; private set; }

    /// <summary>The attempt's failure (status, 0 when no answer came, and text), or null when it did not fail.</summary>
    public (int Status, string Text)? Error { get; private set; }

    /// <summary>Notes the request as it leaves: URL, method, its headers and content headers, and the body's first bytes.</summary>
    public void Sent(HttpRequestMessage request, HttpContent? content, ReadOnlySpan<byte> body)
    {
        var copy = new BodyCapture(BodyCapture.DefaultLimit);
        copy.Add(body);
        var headers = Pairs(request.Headers.NonValidated);
        if (content is not null) headers.AddRange(Pairs(content.Headers.NonValidated));
        Request = new SentRequest(_time.GetLocalNow(), request.RequestUri!, request.Method.Method, headers, copy);
    }

    /// <summary>Notes the upstream's status and headers; the body follows through <see cref="Saw"/>.</summary>
    public void Answered(HttpResponseMessage response)
    {
        var headers = Pairs(response.Headers.NonValidated);
        headers.AddRange(Pairs(response.Content.Headers.NonValidated));
        Answer = new ReceivedAnswer(_time.GetLocalNow(), (int)response.StatusCode, headers, new BodyCapture(BodyCapture.DefaultLimit));
    }

    /// <summary>Notes bytes of the answer's body as they pass.</summary>
    public void Saw(ReadOnlySpan<byte> chunk) => Answer?.Body.Add(chunk);

    /// <summary>
    /// Notes how the attempt ended: a failure's status and error text (its body, or what went wrong when no body came);
    /// an error body that did not pass through <see cref="Saw"/> (a non-2xx answer is read apart) joins the answer's body.
    /// </summary>
    public void Ended(Domain.Proxy.Routing.UpstreamFailure? failure)
    {
        if (failure is null) return;
        Error = (failure.Status, failure.Body.Length > 0 ? failure.BodyText : failure.Message);
        if (Answer is { Body.Total: 0 } answer) answer.Body.Add(failure.Body);
    }

    private static List<KeyValuePair<string, string>> Pairs(System.Net.Http.Headers.HttpHeadersNonValidated headers)
    {
        var pairs = new List<KeyValuePair<string, string>>();
        foreach (var (name, values) in headers)
            foreach (var value in values) pairs.Add(new(name, value));
        return pairs;
    }
}

/// <summary>An upstream request as it was sent.</summary>
/// <param name="At">When it left (local time).</param>
/// <param name="Url">The upstream URL.</param>
/// <param name="Method">The HTTP method.</param>
/// <param name="Headers">Its headers, content headers included, unmasked.</param>
/// <param name="Body">The body's first bytes.</param>
public sealed record SentRequest(DateTimeOffset At, Uri Url, string Method, IReadOnlyList<KeyValuePair<string, string>> Headers, BodyCapture Body);

/// <summary>An upstream answer as it came.</summary>
/// <param name="At">When its headers came (local time).</param>
/// <param name="Status">The upstream status.</param>
/// <param name="Headers">Its headers, content headers included, unmasked.</param>
/// <param name="Body">The body's first bytes as they passed.</param>
public sealed record ReceivedAnswer(DateTimeOffset At, int Status, IReadOnlyList<KeyValuePair<string, string>> Headers, BodyCapture Body);
