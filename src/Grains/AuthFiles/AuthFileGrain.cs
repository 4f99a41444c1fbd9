using CliProxy.Abstractions.AuthFiles;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Errors;
using CliProxy.Domain.OAuth.Credentials;
using CliProxy.Grains.Hosting;
using CliProxy.Grains.OAuth.Refresh;
using CliProxy.Grains.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace CliProxy.Grains.AuthFiles;

/// <summary>
/// Owns one credential (see <see cref="IAuthFileGrain"/>). Every change is computed from the
/// stored text as it is at that moment, validated, stored all-or-nothing, and only then
/// published to the index. Corrections of the reference: an upload is validated before anything is
/// written (a bad one no longer destroys the stored file) and stored byte-for-byte with its own
/// <c>disabled</c> flag; <c>prefix</c> and <c>proxy_url</c> edits are persisted and validated (they
/// were in memory only, and any <c>prefix</c> was taken); background updates merge into the
/// current state instead of replacing it.
/// </summary>
public sealed partial class AuthFileGrain(
    [PersistentState(StorageNames.AuthFileState, StorageNames.AuthFiles)] IPersistentState<AuthFileState> state,
    [FromKeyedServices(GrainServiceKeys.Clock)] TimeProvider time,
    CredentialRefresher refresher,
    ILogger<AuthFileGrain> logger) : Grain, IAuthFileGrain
{
    private string Name => AuthFileKeys.NameOf(this.GetPrimaryKeyString());

    private IAuthFileIndexGrain Index => GrainFactory.GetGrain<IAuthFileIndexGrain>(AuthFileKeys.Index);

    /// <inheritdoc />
    public Task<AuthFileContent?> Get() =>
        Task.FromResult(state.State.Json is { } json ? new AuthFileContent(json, Summary(json)) : null);

    /// <inheritdoc />
    public Task<AuthFileResult> Replace(string json)
    {
        if (System.Text.Encoding.UTF8.GetByteCount(json) > AuthFileLimits.MaxBytes)
            return Task.FromResult(AuthFileResult.Refused(Refusals.AuthFileTooLarge(AuthFileLimits.MaxBytes)));
        if (JsonText.ObjectError(json) is { } error) return Task.FromResult(AuthFileResult.Refused(Refusals.InvalidAuthFile(error)));
        return Store(_ => (json, ""));
    }

    /// <inheritdoc />
    public Task<AuthFileResult> StoreLogin(string json)
    {
        if (JsonText.ObjectError(json) is { } error) return Task.FromResult(AuthFileResult.Refused(Refusals.InvalidAuthFile(error)));
        // A new login clears the old status message, except that of a disable the merge keeps.
        return Store(stored =>
        {
            var merged = ReloginMerge.Merge(stored, json);
            var disabled = JsonText.ParseObject(merged)?["disabled"] is System.Text.Json.Nodes.JsonValue d && d.GetValueKind() == System.Text.Json.JsonValueKind.True;
            return (merged, disabled ? state.State.StatusMessage : "");
        });
    }

    /// <inheritdoc />
    public async Task<AuthFileResult> Delete()
    {
        if (state.State.Json is null) return AuthFileResult.Refused(Refusals.FileNotFound);
        try
        {
            await state.ClearStateAsync();
        }
        catch (Exception e)
        {
            logger.LogError(e, "Failed to delete credential {Name}", Name);
            if (StorageErrors.IsUnavailable(e)) return AuthFileResult.Refused(Refusals.StorageUnavailable);
            await state.ReadStateAsync();
            return AuthFileResult.Refused(Refusals.RemoveFailed(e.Message));
        }
        state.State = new AuthFileState();
        await Publish(null);
        return AuthFileResult.Stored;
    }

    /// <inheritdoc />
    public Task<AuthFileResult> SetDisabled(bool disabled) =>
        Store(json => json is null
            ? null
            : (JsonText.Edit(json, o => o["disabled"] = disabled), disabled ? "disabled via management API" : ""));

    /// <inheritdoc />
    public Task<AuthFileResult> PatchFields(AuthFieldsPatch patch)
    {
        var prefix = patch.Prefix?.Trim().Trim('/');
        if (prefix is not null && prefix.Contains('/')) return Task.FromResult(AuthFileResult.Refused(Refusals.InvalidPrefix));
        return Store(json => json is null ? null : (JsonText.Edit(json, o =>
        {
            SetOrRemove(o, "prefix", prefix);
            SetOrRemove(o, "proxy_url", patch.ProxyUrl?.Trim());
            SetOrRemove(o, "note", patch.Note?.Trim());
            if (patch.Priority is { } p)
            {
                if (p == 0) o.Remove("priority");
                else o["priority"] = p;
            }
        }), state.State.StatusMessage));
    }

    /// <inheritdoc />
    public Task<AuthFileResult> MergeValues(Dictionary<string, string> values) =>
        Store(json => json is null ? null : (JsonText.Edit(json, o =>
        {
            foreach (var (key, value) in values) o[key] = System.Text.Json.Nodes.JsonNode.Parse(value);
        }), state.State.StatusMessage));

    /// <inheritdoc />
    public async Task Reload()
    {
        var before = state.State;
        await state.ReadStateAsync();
        if (state.State is { Json: { } text } read && text == before.Json)
        {
            // Same text (e.g. our own write seen by the folder watcher): keep the runtime fields.
            state.State = new AuthFileState
            {
                Json = text,
                StatusMessage = before.StatusMessage,
                RejectedRefreshToken = before.RejectedRefreshToken,
                CreatedAt = before.CreatedAt ?? read.CreatedAt,
                UpdatedAt = before.UpdatedAt ?? read.UpdatedAt,
            };
        }
        // A file that is not a JSON object is not a credential: it stays on disk but is not listed.
        if (state.State.Json is { } json && JsonText.ParseObject(json) is { } obj) await Index.Upsert(Summary(json, obj));
        else await Index.Remove(Name);
    }

    /// <summary>
    /// Computes the new text from the stored one (null result: the credential does not exist),
    /// stores it, and publishes the summary. A write refused because the file changed under us
    /// re-reads it and recomputes once. <paramref name="rejectedRefreshToken"/>: a refresh token to record as refused (null keeps the recorded one).
    /// </summary>
    private async Task<AuthFileResult> Store(Func<string?, (string Json, string StatusMessage)?> change, string? rejectedRefreshToken = null)
    {
        for (var attempt = 0; ; attempt++)
        {
            var next = change(state.State.Json);
            if (next is null) return AuthFileResult.Refused(Refusals.AuthFileNotFound);
            var current = state.State;
            var now = time.GetUtcNow();
            try
            {
                await state.StoreAsync(new AuthFileState
                {
                    Json = next.Value.Json,
                    StatusMessage = next.Value.StatusMessage,
                    CreatedAt = current.CreatedAt ?? now,
                    UpdatedAt = current.Json == next.Value.Json ? current.UpdatedAt ?? now : now,
                    RejectedRefreshToken = rejectedRefreshToken ?? current.RejectedRefreshToken,
                });
            }
            catch (InconsistentStateException) when (attempt == 0)
            {
                await state.ReadStateAsync();
                continue;
            }
            catch (Exception e)
            {
                logger.LogError(e, "Failed to store credential {Name}", Name);
                return AuthFileResult.Refused(StorageErrors.IsUnavailable(e) ? Refusals.StorageUnavailable : Refusals.WriteFailed(e.Message));
            }
            await Publish(Summary(next.Value.Json));
            return AuthFileResult.Stored;
        }
    }

    /// <summary>
    /// Tells the index about the stored change (null: deleted). The change is already durable, so a
    /// failure here does not fail the request: the index is told again every second until it
    /// listens, and in cluster mode it also re-reads the stored credentials periodically.
    /// </summary>
    private async Task Publish(AuthFileSummary? summary)
    {
        _pendingIndexUpdate?.Dispose();
        _pendingIndexUpdate = null;
        try
        {
            await Tell(summary);
        }
        catch (Exception e)
        {
            logger.LogWarning("Index update for {Name} failed, retrying: {Error}", Name, e.Message);
            _pendingIndexUpdate = this.RegisterGrainTimer(async _ =>
            {
                await Tell(summary);
                _pendingIndexUpdate?.Dispose();
                _pendingIndexUpdate = null;
            }, new GrainTimerCreationOptions(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)));
        }
    }

    private Task Tell(AuthFileSummary? summary) => summary is null ? Index.Remove(Name) : Index.Upsert(summary);

    private IGrainTimer? _pendingIndexUpdate;

    private AuthFileSummary Summary(string json, System.Text.Json.Nodes.JsonObject? parsed = null)
    {
        var now = time.GetUtcNow();
        return AuthFileSummaries.Build(Name, json, parsed ?? JsonText.ParseObject(json) ?? new(), state.State.CreatedAt ?? now, state.State.UpdatedAt ?? now, state.State.StatusMessage);
    }

    private static void SetOrRemove(System.Text.Json.Nodes.JsonObject o, string key, string? value)
    {
        if (value is null) return;
        if (value.Length == 0) o.Remove(key);
        else o[key] = value;
    }
}
