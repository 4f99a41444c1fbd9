using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Domain.Outbound;

namespace CliProxy.Gateway.Releases;

/// <summary>
/// The newest release as <c>GET /latest-version</c> answers it (spec §4.1), asked from the
/// <see cref="ReleaseFeed"/> through the config's <c>proxy-url</c> with a 10 s timeout, and kept on this
/// node: an answer for <see cref="SuccessFor"/> (default 5 minutes), a failure for at most
/// <see cref="FailureFor"/> (30 s), so that polling panels neither spend GitHub's anonymous rate
/// limit (60 an hour per address) nor wait out a timeout on every call while the network is down
/// (spec §7 defect 19). Concurrent callers share one request, which a caller going away does not
/// cancel. A change of <c>proxy-url</c> asks again.
/// </summary>
public sealed class LatestReleaseCache(OutboundHttp outbound, ReleaseFeed feed, TimeProvider time, TimeSpan successFor)
{
    /// <summary>Default time an answer is kept.</summary>
    public static readonly TimeSpan DefaultSuccessFor = TimeSpan.FromMinutes(5);

    /// <summary>Longest time a failure is kept.</summary>
    public static readonly TimeSpan MaxFailureFor = TimeSpan.FromSeconds(30);

    /// <summary>Longest the feed may take to answer, body included.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly Lock _gate = new();
    private Entry? _entry;

    /// <summary>How long an answer is kept.</summary>
    public TimeSpan SuccessFor { get; } = successFor;

    /// <summary>How long a failure is kept: <see cref="MaxFailureFor"/>, or <see cref="SuccessFor"/> if shorter.</summary>
    public TimeSpan FailureFor => SuccessFor < MaxFailureFor ? SuccessFor : MaxFailureFor;

    /// <summary>The answer for <paramref name="proxyUrl"/>: kept, or asked now; <paramref name="cancellationToken"/> only stops this caller's wait.</summary>
    public Task<ReleaseAnswer> GetAsync(string proxyUrl, CancellationToken cancellationToken)
    {
        Task<ReleaseAnswer> fetch;
        lock (_gate)
        {
            if (_entry is not { } entry || entry.ProxyUrl != proxyUrl || Expired(entry))
                _entry = entry = new Entry(proxyUrl, FetchAsync(proxyUrl), null);
            fetch = entry.Answer;
        }
        return fetch.WaitAsync(cancellationToken);
    }

    private bool Expired(Entry entry)
    {
        if (!entry.Answer.IsCompletedSuccessfully) return entry.Answer.IsCompleted; // a fault is not kept
        var keep = entry.Answer.Result.IsSuccess ? SuccessFor : FailureFor;
        return entry.CompletedAt is not { } at || time.GetUtcNow() - at >= keep;
    }

    private async Task<ReleaseAnswer> FetchAsync(string proxyUrl)
    {
        await Task.Yield(); // run outside the caller's lock
        var answer = await AskFeedAsync(proxyUrl);
        lock (_gate)
            if (_entry is { } entry && entry.ProxyUrl == proxyUrl && entry.CompletedAt is null)
                _entry = entry with { CompletedAt = time.GetUtcNow() };
        return answer;
    }

    private async Task<ReleaseAnswer> AskFeedAsync(string proxyUrl)
    {
        HttpResponseMessage response;
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, feed.Url);
            request.Headers.Accept.ParseAdd("application/vnd.github+json");
            request.Headers.UserAgent.ParseAdd("CLIProxyAPI");
            using var client = outbound.For(proxyUrl, Timeout);
            response = await client.SendAsync(request);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return ReleaseAnswer.Failed(502, "request_failed", e.Message);
        }
        catch (Exception e) when (e is InvalidOperationException or UriFormatException)
        {
            return ReleaseAnswer.Failed(500, "request_create_failed", e.Message);
        }
        using (response)
        {
            string text;
            try
            {
                text = await response.Content.ReadAsStringAsync();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                return ReleaseAnswer.Failed(502, "request_failed", e.Message);
            }
            if (response.StatusCode != HttpStatusCode.OK)
                return ReleaseAnswer.Failed(502, "unexpected_status", $"status {(int)response.StatusCode}: {(text.Length > 1024 ? text[..1024] : text).Trim()}");
            JsonNode? release;
            try
            {
                release = JsonNode.Parse(text);
            }
            catch (JsonException e)
            {
                return ReleaseAnswer.Failed(502, "decode_failed", e.Message);
            }
            var version = Field(release, "tag_name") is { Length: > 0 } tag ? tag : Field(release, "name");
            return version.Length == 0 ? ReleaseAnswer.Failed(502, "invalid_response", "missing release version") : new ReleaseAnswer(200, version, "", "");
        }
    }

    private static string Field(JsonNode? node, string name) =>
        node is JsonObject o && o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : "";

    private sealed record Entry(string ProxyUrl, Task<ReleaseAnswer> Answer, DateTimeOffset? CompletedAt);
}

/// <summary>One answer of the feed: the version (status 200), or the spec's error code and message with its status.</summary>
/// <param name="Status">200, 500 or 502.</param>
/// <param name="Version">The release's version (trimmed <c>tag_name</c>, else <c>name</c>) on success.</param>
/// <param name="Error">The error code on failure (<c>request_failed</c>, <c>unexpected_status</c>, …).</param>
/// <param name="Message">The error's message on failure.</param>
public sealed record ReleaseAnswer(int Status, string Version, string Error, string Message)
{
    /// <summary>Whether the feed gave a version.</summary>
    public bool IsSuccess => Status == 200;

    /// <summary>A failure.</summary>
    public static ReleaseAnswer Failed(int status, string error, string message) => new(status, "", error, message);
}

/// <summary>Where <c>GET /latest-version</c> asks for the newest release.</summary>
/// <param name="Url">The feed's URL: GitHub's "latest release" API or a stand-in of it.</param>
public sealed record ReleaseFeed(string Url);
