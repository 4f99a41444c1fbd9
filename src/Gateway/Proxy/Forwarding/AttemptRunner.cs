using CliProxy.Abstractions.Credentials;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Catalogue;
using CliProxy.Domain.Proxy.Routing;
using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Domain.Usage;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Logging;
using CliProxy.Gateway.Metrics;
using CliProxy.Gateway.Proxy.Routing;
using CliProxy.Gateway.Usage;
using Yarp.ReverseProxy.Forwarder;

namespace CliProxy.Gateway.Proxy.Forwarding;

/// <summary>
/// Runs one upstream attempt (spec usage §5.5) with YARP's <see cref="IHttpForwarder"/>: the secret (the API key, or the
/// access token from the credential's grain, the token's single owner), the executor's request, the forward, then one
/// usage record (spec usage §1.2: failed attempts too; a success without usage only for the providers that always
/// publish) and the attempt's metrics. The client's cancellation cancels the upstream request.
/// </summary>
public sealed partial class AttemptRunner(
    IHttpForwarder forwarder,
    UpstreamInvokers invokers,
    ICredentialTokenSource tokens,
    IUsageRecorder usage,
    IProxyMetrics metrics,
    TimeProvider time,
    ILogger<AttemptRunner> logger)
{
    /// <summary>Longest silence of an upstream (no header, no byte) before the attempt fails: generous, models think.</summary>
    public static readonly TimeSpan ActivityTimeout = TimeSpan.FromMinutes(10);

    private static readonly ForwarderRequestConfig RequestConfig = new() { ActivityTimeout = ActivityTimeout };

    private readonly SwappedBody _swappedBody = new();

    /// <summary>Runs one attempt of <paramref name="call"/> on <paramref name="route"/> with <paramref name="executor"/>.</summary>
    public async Task<AttemptResult> RunAsync(HttpContext context, ProxyCall call, ModelRoute route, IUpstreamExecutor executor, CancellationToken cancellationToken)
    {
        var credential = route.Credential;
        var stamp = usage.Now();
        var started = time.GetTimestamp();
        var observer = new ScanningStream.Observer(executor.NewUsageScanner(credential, call.Call.Stream), time, started)
        {
            Log = UpstreamExchangeLog.Of(context)?.Begin(credential),
        };
        var (request, failed) = await PrepareAsync(call, route, executor, cancellationToken);
        AttemptResult result;
        if (failed is not null) result = failed;
        else
        {
            var (transformer, sending) = Send(context, call, route, request!, observer, cancellationToken);
            result = Outcome(context, route.Credential, transformer, await sending, cancellationToken);
        }
        observer.Log?.Ended(result.Failure);
        var elapsed = time.GetElapsedTime(started);
        metrics.AttemptCompleted(credential.Provider, route.UpstreamModel, credential.AuthIndex, result.Status, elapsed, observer.FirstByte);
        if (call.Counts) Record(call, route, stamp, elapsed, result, observer.Tokens);
        return result;
    }

    /// <summary>
    /// The attempt's upstream request: the secret (an API key, or the access token from the credential's grain) and the
    /// executor's request; or the failed attempt when there is none. Completes at once for API keys (no state machine).
    /// </summary>
    private async ValueTask<(UpstreamRequest? Request, AttemptResult? Failed)> PrepareAsync(ProxyCall call, ModelRoute route, IUpstreamExecutor executor,
        CancellationToken cancellationToken)
    {
        var credential = route.Credential;
        string secret;
        switch (credential.Secret)
        {
            case UpstreamSecret.ApiKey key:
                secret = key.Key;
                break;
            case UpstreamSecret.AuthFile file:
                var token = await tokens.GetAccessTokenAsync(file.FileName, cancellationToken);
                if (token.Problem != CredentialTokenProblem.None)
                    return (null, new AttemptResult(AttemptEnd.Failed, 0, new UpstreamFailure(401, [], "", null, $"credential {credential.Id} has no usable access token ({token.Problem})")));
                secret = token.Token;
                break;
            default:
                throw new InvalidOperationException("unknown secret kind " + credential.Secret.GetType().Name);
        }
        try
        {
            // payload rules for the executor to apply where the reference's does; none for token counting, as there
            var client = call.Call;
            var payload = call.Settings.Payload;
            if (call.Counts && PayloadRules.Any(payload))
                client = client with { BodyRules = body => PayloadRules.Apply(body, payload, credential.Protocol, route.UpstreamModel, call.Model) };
            return (executor.Build(credential, secret, client, call.Model.Rewrite(route.UpstreamModel)), null);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            // A credential whose settings make no request (a malformed base-url) or a body the executor cannot rewrite: this
            // attempt fails and the next credential is tried, the client gets an error rather than a crash.
            return (null, new AttemptResult(AttemptEnd.Failed, 0, new UpstreamFailure(0, [], "", null, $"no upstream request for {credential.Id}: {e.Message}")));
        }
    }

    /// <summary>
    /// The keep-alive interval of an attempt (<c>streaming.keepalive-seconds</c>): none for a whole answer, and none for an
    /// interval as long as <see cref="ActivityTimeout"/> or longer (the timeout would always come first).
    /// </summary>
    internal static TimeSpan KeepAliveOf(bool stream, TimeSpan configured) =>
        stream && configured > TimeSpan.Zero && configured < ActivityTimeout ? configured : TimeSpan.Zero;

    /// <summary>Starts forwarding <paramref name="request"/> with YARP over the pool of its origin and proxy.</summary>
    private (AttemptTransformer Transformer, ValueTask<ForwarderError> Sending) Send(HttpContext context, ProxyCall call, ModelRoute route,
        UpstreamRequest request, ScanningStream.Observer observer, CancellationToken cancellationToken)
    {
        var credential = route.Credential;
        var pool = invokers.For(request.Url, credential.ProxyUrl.Length > 0 ? credential.ProxyUrl : call.Settings.ProxyUrl);
        var transformer = new AttemptTransformer(request, observer, call.Settings.PassthroughHeaders, KeepAliveOf(call.Call.Stream, call.Settings.Streaming.Keepalive), time);
        // YARP makes its request content from the request's body and declared length (it refuses a replaced HttpContent);
        // the transformer has that content swapped for the executor's whole body at send time (WholeBodyHandler, first in
        // every pool), so YARP's is never read — and would fail the attempt if it were (SwappedBody).
        context.Request.Body = _swappedBody;
        context.Request.ContentLength = request.Body.Length;
        return (transformer, forwarder.SendAsync(context, pool.Origin, pool.Invoker, RequestConfig, transformer, cancellationToken));
    }

    /// <summary>How the forward ended: served, cancelled by the client, failed before anything was sent (the client's response reset for the next attempt), or broken midway.</summary>
    private AttemptResult Outcome(HttpContext context, UpstreamCredential credential, AttemptTransformer transformer, ForwarderError error, CancellationToken cancellationToken)
    {
        if (context.RequestAborted.IsCancellationRequested || cancellationToken.IsCancellationRequested)
        {
            // The client left: nothing sent is logged and counted as its leaving, not as the forwarder's status for it.
            if (!context.Response.HasStarted) context.Response.StatusCode = ClientClosedRequest.Status;
            return new AttemptResult(AttemptEnd.Cancelled, transformer.Status);
        }
        if (transformer.Failure is { } failure)
        {
            // Nothing was sent: the client's response is clean for the next attempt or the error answer.
            context.Response.StatusCode = StatusCodes.Status200OK;
            context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpResponseFeature>()?.ReasonPhrase = null;
            context.Features.Set<IForwarderErrorFeature>(null);
            LogAttemptFailed(credential.Id, failure.Status, failure.Message);
            return new AttemptResult(AttemptEnd.Failed, failure.Status, failure);
        }
        if (error != ForwarderError.None)
        {
            LogAttemptBroken(credential.Id, error);
            return new AttemptResult(AttemptEnd.Broken, transformer.Status);
        }
        return new AttemptResult(AttemptEnd.Served, transformer.Status);
    }

    private void Record(ProxyCall call, ModelRoute route, UsageTimestamp stamp, TimeSpan elapsed, AttemptResult result, UsageTokens? tokens)
    {
        var credential = route.Credential;
        var failed = result.End != AttemptEnd.Served;
        var counted = tokens is { } t && (t.Input | t.Output | t.Reasoning | t.Cached | t.Total) != 0;
        if (!failed && !counted && !AlwaysPublishes(credential)) return;
        var record = new UsageRecord(call.ClientKey, call.Route, credential.Provider, route.UpstreamModel, credential.AuthIndex, credential.Source,
            stamp, failed || tokens is null ? default : tokens.Value, failed, (long)elapsed.TotalMilliseconds);
        usage.Record(record);
        if (!failed && counted) metrics.TokensCounted(credential.Provider, route.UpstreamModel, credential.AuthIndex, call.ClientKey, tokens!.Value.Normalized());
    }

    /// <summary>Providers whose successful answer without usage still makes an all-zero record (spec usage §1.2): OpenAI-compatible ones and iFlow.</summary>
    private static bool AlwaysPublishes(UpstreamCredential credential) =>
        credential.Provider == "iflow" || (credential.Protocol == UpstreamProtocol.OpenAIChat && credential.Secret is UpstreamSecret.ApiKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Upstream attempt on {Credential} failed: {Status} {Message}")]
    private partial void LogAttemptFailed(string credential, int status, string message);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Upstream answer on {Credential} broke after it started: {Error}")]
    private partial void LogAttemptBroken(string credential, ForwarderError error);
}
