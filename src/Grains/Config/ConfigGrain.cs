using CliProxy.Abstractions.Config;
using CliProxy.Abstractions.Idempotency;
using CliProxy.Domain.Config;
using CliProxy.Domain.Config.Resources;
using CliProxy.Domain.Config.Settings;
using CliProxy.Domain.Errors;
using CliProxy.Grains.Common;
using CliProxy.Grains.Hosting;
using CliProxy.Grains.Idempotency;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Concurrency;
using Orleans.Storage;
using Orleans.Utilities;

namespace CliProxy.Grains.Config;

/// <summary>
/// Owns the config document (see <see cref="IConfigGrain"/>). Changes queue up and are applied in
/// order; edits that arrive while a write is in flight are stored together by the next write
/// (group commit, <see cref="GroupCommitQueue{TItem, TResult}"/>), and each caller is answered once
/// its change is stored. Readers always see the last stored document, never a pending one.
/// </summary>
[Reentrant]
[KeepAlive]
public sealed partial class ConfigGrain(
    [PersistentState("config-document", StorageNames.Config)] IPersistentState<ConfigDocumentState> state,
    ILogger<ConfigGrain> logger,
    [FromKeyedServices(GrainServiceKeys.Clock)] TimeProvider time,
    ConfigResourceCatalog resources) : Grain, IConfigGrain
{
    private GroupCommitQueue<ConfigWork, ConfigEditResult>? _queue;
    private ObserverManager<IConfigObserver>? _observers;
    private ConfigDocument _document = ConfigDocument.Load("");
    private ConfigSnapshot _snapshot = new(0, ConfigETag.Of(""), "", RemoteManagementSettings.Default);

    /// <inheritdoc />
    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _observers = new ObserverManager<IConfigObserver>(TimeSpan.FromMinutes(5), logger);
        // Consecutive edits form one batch; a replacement or a reload runs alone. A fault is answered as a failed write (Failed).
        _queue = new GroupCommitQueue<ConfigWork, ConfigEditResult>(Run, (first, next) => first is ConfigWork.Edit && next is ConfigWork.Edit, Failed, logger);
        // The stored document is in force even if it breaks a rule added since it was stored.
        var stored = ConfigDocument.LoadStored(state.State.Yaml ?? "", out var violations);
        foreach (var v in violations) logger.LogError("The stored config document breaks a rule (fix it by a new edit): {Violation}", v);
        var accepted = SecretKeyHashing.HashPlaintextSecret(stored);
        LogWarnings(accepted);
        var version = Math.Max(state.State.Version, Clock());
        if (!ReferenceEquals(accepted, stored))
        {
            await Store(accepted, version);
            logger.LogInformation("Replaced the plaintext management secret in the config document by its bcrypt hash");
        }
        Commit(accepted, version, notify: false);
    }

    /// <inheritdoc />
    public Task<ConfigSnapshot> GetSnapshot() => Task.FromResult(_snapshot);

    /// <inheritdoc />
    public Task<long> GetVersion() => Task.FromResult(_snapshot.Version);

    /// <inheritdoc />
    public Task<ConfigEditResult> Edit(string route, ConfigRequest request)
    {
        var resource = resources.Find(route);
        if (resource is null || !resource.EditMethods.Contains(request.Method))
            return Task.FromResult(ConfigEditResult.Refused(Refusals.UnknownConfigEdit));
        return Enqueue(new ConfigWork.Edit(resource, request));
    }

    /// <inheritdoc />
    public Task<ConfigEditResult> ReplaceDocument(string yaml, string? ifMatch, IdempotencyToken? idempotency = null) =>
        Enqueue(new ConfigWork.Replace(yaml, ifMatch, idempotency));

    /// <inheritdoc />
    public async Task<ConfigSnapshot> Reload()
    {
        await Enqueue(new ConfigWork.Reload());
        return _snapshot;
    }

    /// <inheritdoc />
    public Task Subscribe(IConfigObserver observer)
    {
        _observers!.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Unsubscribe(IConfigObserver observer)
    {
        _observers!.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private Task<ConfigEditResult> Enqueue(ConfigWork work) => _queue!.Enqueue(work);

    /// <summary>Commits one batch of the queue: edits together, or one replace or reload.</summary>
    private async Task<IReadOnlyList<ConfigEditResult>> Run(IReadOnlyList<ConfigWork> work) => work[0] switch
    {
        ConfigWork.Edit => await RunBatch(work.Cast<ConfigWork.Edit>().ToList()),
        ConfigWork.Replace replace => [await RunReplace(replace)],
        _ => [await RunReload()],
    };

    private static ConfigEditResult Failed(ConfigWork work, Exception e) => work switch
    {
        ConfigWork.Replace => ConfigEditResult.Refused(Refusals.DocumentFailed(e.Message)),
        _ => ConfigEditResult.Refused(Refusals.SaveFailed(e.Message)),
    };

    private async Task<IReadOnlyList<ConfigEditResult>> RunBatch(List<ConfigWork.Edit> batch)
    {
        for (var attempt = 0; ; attempt++)
        {
            var (next, outcomes, requests) = ConfigBatch.Prepare(_document, batch, AppliedLedger, Replay, logger);
            if (next is null) return Complete(outcomes, null);
            try
            {
                var version = NextVersion();
                await Store(next, version, applied: requests.Added);
                Commit(next, version, notify: true);
                return Complete(outcomes, null);
            }
            catch (InconsistentStateException) when (attempt == 0)
            {
                // The file changed under us (an editor saved it): adopt it and re-apply the batch.
                await RunReload();
            }
            catch (Exception e)
            {
                logger.LogError(e, "Failed to store the config document");
                return Complete(outcomes, e);
            }
        }
    }

    /// <summary>The answer to each edit of a batch, from its outcome and the write's failure (or null).</summary>
    private List<ConfigEditResult> Complete(List<EditOutcome> outcomes, Exception? storeError)
    {
        // The reference's "failed to save config: …"; an unreachable database is told apart.
        var failed = storeError is null ? null
            : ConfigEditResult.Refused(StorageErrors.IsUnavailable(storeError) ? Refusals.StorageUnavailable : Refusals.SaveFailed(storeError.Message));
        return outcomes.ConvertAll(o => o.Refusal is { } refusal ? ConfigEditResult.Refused(refusal)
            : failed ?? ConfigEditResult.Accepted(_snapshot));
    }

    private async Task<ConfigEditResult> RunReplace(ConfigWork.Replace work)
    {
        if (ReplayReplace(work.Idempotency) is { } replay) return replay;
        if (work.IfMatch is not null && work.IfMatch != "*" && work.IfMatch != _snapshot.ETag)
            return ConfigEditResult.Refused(Refusals.DocumentChanged(_snapshot.ETag));
        if (string.IsNullOrWhiteSpace(StripComments(work.Yaml)))
            return ConfigEditResult.Refused(Refusals.EmptyDocument);
        ConfigDocument next;
        try
        {
            next = ConfigDocument.Load(work.Yaml);
        }
        catch (ConfigRuleException e)
        {
            return ConfigEditResult.Refused(Refusals.InvalidConfig(e.Message));
        }
        catch (ConfigLoadException e)
        {
            return ConfigEditResult.Refused(Refusals.InvalidYaml(e.Message));
        }
        try
        {
            next = SecretKeyHashing.HashPlaintextSecret(next);
        }
        catch (ConfigLoadException e)
        {
            return ConfigEditResult.Refused(Refusals.InvalidConfig(e.Message));
        }
        try
        {
            var version = NextVersion();
            await Store(next, version, force: true, applied: work.Idempotency is { } key ? [key] : []);
            Commit(next, version, notify: true);
            return ConfigEditResult.Accepted(_snapshot);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Failed to store the config document");
            return ConfigEditResult.Refused(Refusals.DocumentWriteFailed);
        }
    }

    private async Task<ConfigEditResult> RunReload()
    {
        var previous = state.State;
        try
        {
            await state.ReadStateAsync();
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Could not re-read the config document; keeping the current one");
            return ConfigEditResult.Accepted(_snapshot);
        }
        if (state.State.Yaml is null)
        {
            state.State = previous;
            if (!_snapshot.SourceMissing)
            {
                logger.LogError("The config file was deleted; the current document stays in force and the next change writes it again");
                Publish(_snapshot with { Version = NextVersion(), SourceMissing = true });
            }
            return ConfigEditResult.Accepted(_snapshot);
        }
        var text = state.State.Yaml;
        if (text == _document.Text)
        {
            if (_snapshot.SourceMissing) Publish(_snapshot with { Version = NextVersion(), SourceMissing = false });
            return ConfigEditResult.Accepted(_snapshot);
        }
        try
        {
            if (string.IsNullOrWhiteSpace(StripComments(text))) throw new ConfigLoadException("config document is empty");
            var loaded = ConfigDocument.Load(text);
            var accepted = SecretKeyHashing.HashPlaintextSecret(loaded);
            var version = NextVersion();
            if (!ReferenceEquals(accepted, loaded)) await Store(accepted, version);
            LogWarnings(accepted);
            Commit(accepted, version, notify: true);
            logger.LogInformation("Config document reloaded after an external edit (version {Version})", version);
        }
        catch (Exception e) when (e is ConfigLoadException or InconsistentStateException)
        {
            state.State = previous;
            logger.LogError("Ignoring an invalid edit of the config document; the last good document stays in force: {Error}", e.Message);
        }
        catch (Exception e)
        {
            // E.g. the hashed secret could not be written back: keep the last good document; the
            // next reload (the watcher's next pass) tries again, since the text still differs.
            state.State = previous;
            LogReloadFailed(logger, e);
        }
        return ConfigEditResult.Accepted(_snapshot);
    }

    private async Task Store(ConfigDocument document, long version, bool force = false, IReadOnlyCollection<IdempotencyToken>? applied = null)
    {
        var previous = state.State;
        try
        {
            // A whole-document replacement wins over an external edit not yet picked up: refresh the storage ETag first.
            if (force) await state.ReadStateAsync();
            // The keys of the changes travel in the same write as the changes (see ConfigGrain.Idempotency.cs).
            var requests = AppliedRequests.With(state.State.AppliedRequests, applied ?? [], time.GetUtcNow());
            state.State = new ConfigDocumentState { Yaml = document.Text, Version = version, AppliedRequests = requests };
            await state.WriteStateAsync();
        }
        catch
        {
            state.State = previous;
            throw;
        }
    }

    private void Commit(ConfigDocument document, long version, bool notify)
    {
        _document = document;
        var snapshot = new ConfigSnapshot(version, ConfigETag.Of(document.Text), document.Text, document.RemoteManagement);
        if (notify) Publish(snapshot);
        else _snapshot = snapshot;
    }

    private void Publish(ConfigSnapshot snapshot)
    {
        _snapshot = snapshot;
        _observers!.Notify(o => o.OnConfigChanged(snapshot));
    }

    private long NextVersion() => Math.Max(_snapshot.Version + 1, Clock());

    private long Clock() => time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;

    private void LogWarnings(ConfigDocument document)
    {
        foreach (var w in document.Warnings) logger.LogWarning("Config entry ignored: {Warning}", w);
    }

    private static string StripComments(string text) =>
        string.Join('\n', text.Split('\n').Where(l => !l.TrimStart().StartsWith('#')));

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not adopt an edit of the config document; the last good document stays in force and the next reload tries again")]
    private static partial void LogReloadFailed(ILogger logger, Exception exception);
}
