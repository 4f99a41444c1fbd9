using System.Collections.Immutable;
using CliProxy.Abstractions.OAuth;
using CliProxy.Domain.Errors;
using CliProxy.Domain.OAuth;
using CliProxy.Grains.Hosting;
using CliProxy.Grains.OAuth.Flows;
using CliProxy.Grains.OAuth.Http;
using CliProxy.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CliProxy.Grains.OAuth;

/// <summary>
/// Owns one login (see <see cref="IOAuthSessionGrain"/>). The state machine: a session is registered
/// <see cref="OAuthPhase.Pending"/> only after its flow's start steps succeeded; a pending session
/// without a callback by its deadline has timed out (reported at once, recorded by the reminder);
/// an accepted callback is persisted first and then finished in the background by the flow (so a
/// login whose silo is lost is finished again where the grain is next activated); the finished
/// session is kept as an error or a completed tombstone for <see cref="OAuthSettings.SessionTtl"/>,
/// then forgotten (its state cleared, its reminder removed). Corrections of the reference: unknown and
/// expired states are never reported as success, finishing one login never ends another, every worker
/// is bounded and cancellable, and the state check happens once, against this grain's key.
/// </summary>
public sealed partial class OAuthSessionGrain(
    [PersistentState(StorageNames.OAuthSessionState, StorageNames.OAuthSessions)] IPersistentState<OAuthSessionState> state,
    OAuthFlowRegistry flows,
    OAuthSettings settings,
    OAuthHttpClients http,
    [FromKeyedServices(GrainServiceKeys.Clock)] TimeProvider time,
    ILogger<OAuthSessionGrain> logger) : Grain, IOAuthSessionGrain, IRemindable
{
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private string SessionState => this.GetPrimaryKeyString()["oauth:".Length..];

    private DateTimeOffset Now => time.GetUtcNow();

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        ResumeWork();
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<OAuthStartResult> Start(OAuthStartRequest request)
    {
        if (Status().Phase != OAuthPhase.Unknown) return OAuthStartResult.Refused(OAuthRefusal.StateInUse, "state already in use");
        if (flows.Find(request.Provider) is not { } flow) return OAuthStartResult.Refused(OAuthRefusal.UnsupportedProvider, "unsupported oauth provider");
        var data = new Dictionary<string, string>(StringComparer.Ordinal);
        OAuthFlowStart started;
        using (var limit = new CancellationTokenSource(settings.RequestTimeout, time))
        {
            try
            {
                started = await flow.StartAsync(Context(flow.Provider, request.ProxyUrl, data), request.Options, limit.Token);
            }
            catch (OAuthLoginFailure e)
            {
                LogStartFailed(flow.Provider, e.Message);
                return OAuthStartResult.Refused(OAuthRefusal.StartFailed, e.Message);
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException)
            {
                LogStartFailed(flow.Provider, e.Message);
                return OAuthStartResult.Refused(OAuthRefusal.StartFailed, "failed to generate authorization url");
            }
        }
        var now = Now;
        var wait = started.Wait ?? settings.CallbackWait;
        try
        {
            await state.StoreAsync(new OAuthSessionState
            {
                Provider = flow.Provider,
                Phase = OAuthPhase.Pending,
                CreatedAt = now,
                Deadline = now + wait,
                ExpiresAt = now + wait + settings.SessionTtl,
                ProxyUrl = request.ProxyUrl,
                Data = data,
            });
            await ScheduleAsync();
        }
        catch (Exception e)
        {
            // Registered only when every step succeeded: roll back what was stored.
            LogStoreFailed(e, SessionState);
            await ForgetQuietlyAsync();
            return OAuthStartResult.Refused(OAuthRefusal.StorageFailed, StorageErrors.IsUnavailable(e) ? Refusals.StorageUnavailable.Error : "failed to register oauth session");
        }
        LogStarted(flow.Provider, SessionState);
        if (flow is IOAuthPollingFlow polling) RunPolling(polling, started.FirstPoll ?? settings.PollInterval);
        return new OAuthStartResult(OAuthRefusal.None, null, started.Url, started.Fields ?? ImmutableDictionary<string, string>.Empty);
    }

    /// <inheritdoc />
    public Task<OAuthSessionStatus> GetStatus() => Task.FromResult(Status());

    /// <inheritdoc />
    public async Task<OAuthRefusal> SubmitCallback(OAuthCallback callback)
    {
        switch (Status().Phase)
        {
            case OAuthPhase.Unknown: return OAuthRefusal.UnknownState;
            case OAuthPhase.Completed: return OAuthRefusal.AlreadyCompleted;
            case OAuthPhase.Error: return OAuthRefusal.NotPending;
        }
        var current = state.State;
        if (callback.Provider is { } provider && !provider.Equals(current.Provider, StringComparison.OrdinalIgnoreCase)) return OAuthRefusal.ProviderMismatch;
        if (current.CallbackCode is not null || flows.Find(current.Provider) is not IOAuthRedirectFlow flow) return OAuthRefusal.NotPending;
        var next = Copy(current);
        next.CallbackCode = callback.Code;
        next.CallbackError = callback.Error;
        try
        {
            await state.StoreAsync(next);
        }
        catch (Exception e)
        {
            LogStoreFailed(e, SessionState);
            return OAuthRefusal.StorageFailed;
        }
        await ScheduleQuietlyAsync();
        RunCompletion(flow);
        return OAuthRefusal.None;
    }

    /// <inheritdoc />
    public async Task<OAuthSessionStatus> WaitForOutcome(TimeSpan max)
    {
        var until = Now + max;
        while (Status() is { Phase: OAuthPhase.Pending } && until - Now is { Ticks: > 0 } remaining)
        {
            using var stop = new CancellationTokenSource();
            var delay = Task.Delay(remaining, time, stop.Token);
            await Task.WhenAny(_changed.Task, delay);
            await stop.CancelAsync();
        }
        return Status();
    }

    /// <inheritdoc />
    public async Task<bool> Cancel()
    {
        if (Status().Phase != OAuthPhase.Pending) return false;
        StopWork();
        await ForgetAsync();
        LogCancelled(SessionState);
        return true;
    }

    /// <summary>The status now; a pending session past its deadline without a callback has timed out.</summary>
    private OAuthSessionStatus Status()
    {
        var s = state.State;
        if (s.Phase == OAuthPhase.Unknown || Now >= s.ExpiresAt) return OAuthSessionStatus.Unknown;
        if (s.Phase == OAuthPhase.Pending && TimedOut(s)) return new OAuthSessionStatus(OAuthPhase.Error, TimeoutMessage(s));
        return new OAuthSessionStatus(s.Phase, s.Message);
    }

    private bool TimedOut(OAuthSessionState s) => s.CallbackCode is null && Now >= s.Deadline;

    private string TimeoutMessage(OAuthSessionState s) => flows.Find(s.Provider)?.TimeoutMessage ?? "Authentication failed";

    private OAuthFlowContext Context(string provider, string proxyUrl, IDictionary<string, string> data) =>
        new(SessionState, settings.For(provider), settings, http.For(proxyUrl), time, data, logger);

    private static OAuthSessionState Copy(OAuthSessionState s) => new()
    {
        Provider = s.Provider, Phase = s.Phase, Message = s.Message, CreatedAt = s.CreatedAt, Deadline = s.Deadline, ExpiresAt = s.ExpiresAt,
        ProxyUrl = s.ProxyUrl, Data = new Dictionary<string, string>(s.Data, StringComparer.Ordinal), CallbackCode = s.CallbackCode,
        CallbackError = s.CallbackError, FileName = s.FileName,
    };

    /// <summary>Wakes <see cref="WaitForOutcome"/> callers after a change.</summary>
    private void Signal() => Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();

    [LoggerMessage(Level = LogLevel.Information, Message = "OAuth login {Provider} started (session {Session})")]
    private partial void LogStarted(string provider, string session);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OAuth login {Provider} could not start: {Error}")]
    private partial void LogStartFailed(string provider, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "OAuth session {Session} could not be stored")]
    private partial void LogStoreFailed(Exception e, string session);

    [LoggerMessage(Level = LogLevel.Information, Message = "OAuth session {Session} cancelled")]
    private partial void LogCancelled(string session);
}
