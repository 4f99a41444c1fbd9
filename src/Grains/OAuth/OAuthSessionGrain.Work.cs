using CliProxy.Abstractions.AuthFiles;
using CliProxy.Abstractions.OAuth;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.OAuth.Credentials;
using CliProxy.Grains.OAuth.Flows;
using CliProxy.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CliProxy.Grains.OAuth;

/// <summary>The session's background work (finishing a login, polling a device code) and its durable reminder.</summary>
public sealed partial class OAuthSessionGrain
{
    private const string ReminderName = "oauth-session";

    /// <summary>The reminder's period after its first tick (Orleans' minimum): a session whose work was lost with its silo is resumed within it.</summary>
    private static readonly TimeSpan ReminderPeriod = TimeSpan.FromMinutes(1);

    private CancellationTokenSource? _work;
    private Task _worker = Task.CompletedTask;
    private bool _polling;
    private bool _deactivating;
    private (bool Working, DateTimeOffset? Wake)? _scheduled;
    private bool _unsaved;

    /// <summary>A tick of the session's reminder: records a timeout, resumes lost work, forgets an expired session.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var s = state.State;
        if (s.Phase == OAuthPhase.Unknown || Now >= s.ExpiresAt)
        {
            await ForgetAsync();
            return;
        }
        if (_unsaved)
        {
            await state.WriteStateAsync();
            _unsaved = false;
        }
        if (s.Phase == OAuthPhase.Pending && TimedOut(s) && flows.Find(s.Provider) is { } flow)
        {
            StopWork();
            await FinishAsync(flow, null, flow.TimeoutMessage);
            return;
        }
        ResumeWork();
        await ScheduleAsync();
    }

    /// <inheritdoc />
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        // A login being finished gets the chance to end here; the rest resumes where the grain is activated next.
        if (!_polling)
        {
            try
            {
                await _worker.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }
        }
        _deactivating = true;
        StopWork();
    }

    /// <summary>Starts the work a pending session needs and is not running (after a start, a callback, or a reactivation).</summary>
    private void ResumeWork()
    {
        var s = state.State;
        if (s.Phase != OAuthPhase.Pending || Now >= s.ExpiresAt || !_worker.IsCompleted) return;
        var flow = flows.Find(s.Provider);
        if (s.CallbackCode is not null && flow is IOAuthRedirectFlow redirect) RunCompletion(redirect);
        else if (s.CallbackCode is null && flow is IOAuthPollingFlow polling && !TimedOut(s)) RunPolling(polling, settings.PollInterval);
    }

    private void RunCompletion(IOAuthRedirectFlow flow)
    {
        if (!_worker.IsCompleted) return;
        var s = state.State;
        _polling = false;
        _work = new CancellationTokenSource(settings.CompletionTimeout, time);
        _worker = RunAsync(flow, ct => flow.CompleteAsync(Context(s.Provider, s.ProxyUrl, s.Data), s.CallbackCode!, s.CallbackError, ct),
            "Authentication failed: login did not finish in time", _work.Token);
    }

    private void RunPolling(IOAuthPollingFlow flow, TimeSpan firstPoll)
    {
        if (!_worker.IsCompleted) return;
        var s = state.State;
        _polling = true;
        var left = s.Deadline - Now;
        _work = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, time);
        _worker = RunAsync(flow, async ct =>
        {
            var wait = firstPoll;
            while (true)
            {
                await Task.Delay(wait, time, ct);
                var poll = await flow.PollAsync(Context(s.Provider, s.ProxyUrl, s.Data), ct);
                if (poll.Credential is { } credential) return credential;
                wait = poll.RetryAfter > TimeSpan.FromSeconds(1) ? poll.RetryAfter : TimeSpan.FromSeconds(1);
            }
        }, flow.TimeoutMessage, _work.Token);
    }

    private void StopWork() => _work?.Cancel();

    /// <summary>Runs a flow step to its end and records the outcome; <paramref name="timeoutMessage"/> when <paramref name="cancellationToken"/> fires.</summary>
    private async Task RunAsync(IOAuthFlow flow, Func<CancellationToken, Task<LoginCredential>> work, string timeoutMessage, CancellationToken cancellationToken)
    {
        LoginCredential? credential = null;
        string? failure = null;
        try
        {
            credential = await work(cancellationToken);
        }
        catch (OAuthLoginFailure e)
        {
            failure = e.Message;
        }
        catch (MissingIdentityException e)
        {
            failure = "Authentication failed: " + e.Message;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            failure = timeoutMessage;
        }
        catch (Exception e)
        {
            LogWorkFailed(e, flow.Provider, SessionState);
            failure = "Authentication failed";
        }
        if (_deactivating) return;
        await FinishAsync(flow, credential, failure);
    }

    /// <summary>
    /// Ends a pending session: stores the credential through its auth-file grain (only if the session is
    /// still pending right before: a cancelled login writes nothing), then records completed or the error.
    /// </summary>
    private async Task FinishAsync(IOAuthFlow flow, LoginCredential? credential, string? failure)
    {
        if (state.State.Phase != OAuthPhase.Pending) return;
        var fileName = "";
        if (credential is not null && failure is null)
        {
            if (AuthFileName.Validate(credential.FileName, out var name) is not null)
            {
                failure = flow.SaveFailedMessage + ": invalid file name";
            }
            else
            {
                try
                {
                    var stored = await GrainFactory.GetGrain<IAuthFileGrain>(AuthFileKeys.For(name)).StoreLogin(credential.Json);
                    if (stored.IsSuccess) fileName = name;
                    else failure = flow.SaveFailedMessage;
                }
                catch (Exception e)
                {
                    LogWorkFailed(e, flow.Provider, SessionState);
                    failure = flow.SaveFailedMessage;
                }
            }
        }
        var current = state.State;
        if (current.Phase != OAuthPhase.Pending) return;
        var next = new OAuthSessionState
        {
            Provider = current.Provider,
            Phase = failure is null ? OAuthPhase.Completed : OAuthPhase.Error,
            Message = failure ?? "",
            CreatedAt = current.CreatedAt,
            Deadline = current.Deadline,
            ExpiresAt = Now + settings.SessionTtl,
            FileName = fileName,
        };
        try
        {
            await state.StoreAsync(next);
        }
        catch (Exception e)
        {
            // Answer truthfully while active; the next reminder tick stores it.
            LogStoreFailed(e, SessionState);
            state.State = next;
            _unsaved = true;
        }
        if (failure is null) LogCompleted(flow.Provider, SessionState, fileName);
        else LogFailed(flow.Provider, SessionState, failure);
        await ScheduleQuietlyAsync();
        Signal();
    }

    /// <summary>
    /// Points the reminder at the next moment the session needs attention: its deadline while it waits
    /// for the user, its expiry once finished; while work runs it ticks every period, so work lost with a
    /// silo is resumed within a minute even when nobody asks for the status.
    /// </summary>
    private async Task ScheduleAsync()
    {
        var s = state.State;
        if (s.Phase == OAuthPhase.Unknown) return;
        var working = s.Phase == OAuthPhase.Pending && (s.CallbackCode is not null || flows.Find(s.Provider) is IOAuthPollingFlow);
        DateTimeOffset? wake = working ? null : s.Phase == OAuthPhase.Pending ? s.Deadline : s.ExpiresAt;
        if (_scheduled == (working, wake)) return;
        var due = wake is { } at ? at - Now : ReminderPeriod;
        await this.RegisterOrUpdateReminder(ReminderName, due > TimeSpan.Zero ? due : TimeSpan.Zero, ReminderPeriod);
        _scheduled = (working, wake);
    }

    private async Task ScheduleQuietlyAsync()
    {
        try
        {
            await ScheduleAsync();
        }
        catch (Exception e)
        {
            LogReminderFailed(e, SessionState);
        }
    }

    /// <summary>Clears the state and removes the reminder: the session is unknown from now on.</summary>
    private async Task ForgetAsync()
    {
        StopWork();
        if (state.RecordExists) await state.ClearStateAsync();
        state.State = new OAuthSessionState();
        Signal();
        if (await this.GetReminder(ReminderName) is { } reminder) await this.UnregisterReminder(reminder);
        _scheduled = null;
        _unsaved = false;
    }

    private async Task ForgetQuietlyAsync()
    {
        try
        {
            await ForgetAsync();
        }
        catch (Exception e)
        {
            LogReminderFailed(e, SessionState);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "OAuth login {Provider} completed (session {Session}): {FileName}")]
    private partial void LogCompleted(string provider, string session, string fileName);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OAuth login {Provider} failed (session {Session}): {Error}")]
    private partial void LogFailed(string provider, string session, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "OAuth login {Provider} (session {Session}) failed unexpectedly")]
    private partial void LogWorkFailed(Exception e, string provider, string session);

    [LoggerMessage(Level = LogLevel.Warning, Message = "OAuth session {Session}: reminder update failed")]
    private partial void LogReminderFailed(Exception e, string session);
}
