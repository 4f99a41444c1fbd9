namespace CliProxy.Gateway.ApiCall;

/// <summary>
/// What <c>POST /api-call</c> answers (spec §3.2): the upstream's answer (always <c>200</c> for the
/// caller, whatever the upstream's status), or a refusal with its status and error text.
/// </summary>
/// <param name="Status">The route's HTTP status.</param>
/// <param name="Error">The <c>error</c> text of a refusal, or null.</param>
/// <param name="Response">The upstream's answer, or null for a refusal.</param>
public sealed record ApiCallOutcome(int Status, string? Error, UpstreamAnswer? Response)
{
    /// <summary>A refusal.</summary>
    public static ApiCallOutcome Refused(int status, string error) => new(status, error, null);

    /// <summary>The upstream answered.</summary>
    public static ApiCallOutcome Answered(UpstreamAnswer response) => new(StatusCodes.Status200OK, null, response);
}

/// <summary>The upstream's answer as the route returns it.</summary>
/// <param name="StatusCode">The upstream's status.</param>
/// <param name="Headers">Canonical header names (sorted) and their values.</param>
/// <param name="Body">The body as text (invalid UTF-8 replaced by U+FFFD).</param>
public sealed record UpstreamAnswer(int StatusCode, SortedDictionary<string, List<string>> Headers, string Body);
