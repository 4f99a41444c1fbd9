using System.Collections.Immutable;
using CliProxy.Domain.Config.Settings;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Catalogue;
using CliProxy.Domain.Proxy.Cooldowns;
using CliProxy.Domain.Proxy.Routing;
using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Gateway.Metrics;
using CliProxy.Gateway.Proxy.Activity;
using CliProxy.Gateway.Proxy.Forwarding;

namespace CliProxy.Gateway.Proxy.Routing;

/// <summary>
/// Serves one client request over the model's credentials (spec usage §5.3–§5.5): resolve the model (unknown:
/// <c>502</c>; <c>auto</c>: the first model listed), then rounds of attempts — each attempt picks among the untried,
/// unblocked, highest-priority credentials whose executor serves the client's protocol, reports its outcome to the
/// cooldown board and counts it for the credential's recent requests (<see cref="CredentialActivityRecorder"/>), and a
/// failure moves on to the next credential (a <c>400 invalid_request_error</c> is answered at once). A round that runs out ends with the last upstream error, unless <see cref="RetryRounds"/> allows another
/// round after a short wait; a stream that failed before its first byte may re-run everything
/// (<c>streaming.bootstrap-retries</c>). Every read here is the node's own copy: no grain call but the token's.
/// </summary>
public sealed partial class ProxyConductor(
    IEnumerable<IUpstreamExecutor> executors,
    ICooldownBoard cooldowns,
    CredentialPicker picker,
    AttemptRunner attempts,
    CredentialActivityRecorder activity,
    IProxyMetrics metrics,
    TimeProvider time,
    ILogger<ProxyConductor> logger)
{
    private readonly IUpstreamExecutor[] _executors = [.. executors];

    /// <summary>Serves <paramref name="call"/> with <paramref name="catalogue"/>; returns the error to answer, or null when the answer was sent (or the client left).</summary>
    public async Task<ProxyError?> ServeAsync(HttpContext context, ProxyCall call, UpstreamCatalogue catalogue, CancellationToken cancellationToken)
    {
        var model = call.Model.Base;
        if (model == ModelName.Auto && catalogue.Models.Length > 0) model = catalogue.Models[0].Id;
        var routes = catalogue.RoutesFor(model);
        if (routes.IsEmpty) return ProxyError.UnknownModel(call.Model.Base);
        if (!AnyServed(routes, call.Call.Protocol))
            return ProxyError.MissingTranslation(UnsupportedTranslation.Message(call.Call.Protocol, routes[0].Credential));
        var key = catalogue.CursorKeyOf(model);
        for (var bootstrap = 0; ; bootstrap++)
        {
            var (error, last) = await RoundsAsync(context, call, routes, model, key, cancellationToken);
            if (last is null || !call.Call.Stream || bootstrap >= call.Settings.Streaming.BootstrapRetries || !last.AllowsBootstrapRetry) return error;
            LogBootstrapRetry(model, bootstrap + 1);
        }
    }

    private async Task<(ProxyError? Error, UpstreamFailure? Last)> RoundsAsync(HttpContext context, ProxyCall call, ImmutableArray<ModelRoute> routes,
        string model, string key, CancellationToken cancellationToken)
    {
        UpstreamFailure? last = null;
        for (var extraRounds = 0; ; extraRounds++)
        {
            List<string>? tried = null; // made when a second attempt needs it
            var attempted = false;
            while (true)
            {
                var now = time.GetUtcNow();
                var set = CandidateSet.Of(routes, tried ?? (IReadOnlyList<string>)[], static (c, s) => s.Executors.For(c, s.Protocol) is not null, (Executors: _executors, call.Call.Protocol),
                    cooldowns, model, now);
                if (set.Eligible.IsEmpty)
                {
                    if (!attempted && set.Blocked > 0)
                        return (set.AllQuota ? ProxyError.Cooldown(model, SingleProvider(routes), set.EarliestReset!.Value - now) : ProxyError.AuthUnavailable(), null);
                    break;
                }
                var route = picker.Pick(set.Eligible, call.Settings.RoutingStrategy, key);
                attempted = true;
                var result = await attempts.RunAsync(context, call, route, _executors.For(route.Credential, call.Call.Protocol)!, cancellationToken);
                await ReportAsync(call, route, model, result);
                switch (result.End)
                {
                    case AttemptEnd.Served or AttemptEnd.Cancelled or AttemptEnd.Broken:
                        return (null, null);
                    case AttemptEnd.Failed when result.Failure!.IsInvalidRequest:
                        return (ProxyError.Upstream(result.Failure), null);
                }
                last = result.Failure;
                (tried ??= new List<string>(2)).Add(route.Credential.Id);
            }
            if (last is null) return (ProxyError.AuthUnavailable(), null);
            var wait = RetryRounds.NextWait(routes, cooldowns, model, time.GetUtcNow(), extraRounds, call.Settings.RequestRetry, call.Settings.MaxRetryInterval);
            if (wait is null) return (ProxyError.Upstream(last), last);
            LogRetryRound(model, extraRounds + 1, wait.Value);
            await WaitOutBlockAsync(routes, model, extraRounds, call.Settings, wait.Value, cancellationToken);
        }
    }

    /// <summary>
    /// Waits <paramref name="wait"/>, then the rest of the shortest block while it still runs — a timer may fire a little
    /// early, and the cluster's copy of a block can end a few milliseconds after the one this node saw first — so that the
    /// extra round finds the credential free instead of answering <c>auth_unavailable</c>. At most three more waits.
    /// </summary>
    private async Task WaitOutBlockAsync(ImmutableArray<ModelRoute> routes, string model, int extraRounds, ConfigSettings settings, TimeSpan wait, CancellationToken cancellationToken)
    {
        for (var waits = 0; waits < 4; waits++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), time, cancellationToken);
            if (RetryRounds.NextWait(routes, cooldowns, model, time.GetUtcNow(), extraRounds, settings.RequestRetry, settings.MaxRetryInterval) is not { } rest
                || rest <= TimeSpan.Zero) return;
            wait = rest;
        }
    }

    private async Task ReportAsync(ProxyCall call, ModelRoute route, string model, AttemptResult result)
    {
        if (result.End is AttemptEnd.Cancelled) return; // the client left: says nothing about the credential
        var credential = route.Credential;
        var status = result.End == AttemptEnd.Broken ? StatusCodes.Status502BadGateway : result.Status;
        activity.Record(credential.Id, status is >= 200 and < 300);
        var outcome = new AttemptOutcome(credential.Id, model, status, result.Failure?.RetryHint, credential.DisableCooling ?? call.Settings.DisableCooling);
        try
        {
            await cooldowns.ReportAsync(outcome, CancellationToken.None);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The answer does not depend on the report: a cluster hiccup costs at most one missed cooldown.
            LogReportFailed(credential.Id, e.Message);
            return;
        }
        if (status is < 200 or >= 300 && cooldowns.Find(credential.Id, model, time.GetUtcNow()) is { } block)
            metrics.CooldownStarted(credential.Provider, route.UpstreamModel, credential.AuthIndex, status, block.Until - time.GetUtcNow());
    }

    private bool AnyServed(ImmutableArray<ModelRoute> routes, ClientProtocol protocol)
    {
        foreach (var route in routes)
            if (_executors.For(route.Credential, protocol) is not null) return true;
        return false;
    }

    private static string? SingleProvider(ImmutableArray<ModelRoute> routes) =>
        routes.Select(r => r.Credential.Provider).Distinct(StringComparer.Ordinal).Count() == 1 ? routes[0].Credential.Provider : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model}: waiting {Wait} for extra round {Round}")]
    private partial void LogRetryRound(string model, int round, TimeSpan wait);

    [LoggerMessage(Level = LogLevel.Information, Message = "Model {Model}: stream failed before its first byte, bootstrap retry {Retry}")]
    private partial void LogBootstrapRetry(string model, int retry);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Cooldown report for {Credential} failed: {Error}")]
    private partial void LogReportFailed(string credential, string error);
}
