using CliProxy.Abstractions.Idempotency;
using CliProxy.Domain.Config.Resources;
using CliProxy.Domain.Config;
using CliProxy.Domain.Errors;
using CliProxy.Grains.Idempotency;
using Microsoft.Extensions.Logging;

namespace CliProxy.Grains.Config;

/// <summary>
/// Turns one group-commit batch into the document to store and one outcome per edit. Normally
/// every edit is applied to one working copy and the text is rendered once. An edit that throws
/// (in its resource, while applied, or while rendered) must fail alone and leave no trace, so then
/// the batch is prepared again edit by edit, each edit on a fresh working copy of the document as
/// left by the edits before it: the throwing edit's copy is dropped with whatever it had changed,
/// it is refused as not saved, and the others go on. An edit whose <c>Idempotency-Key</c> the record already
/// holds is answered by <c>replay</c> instead of being applied; the keys of applied edits are
/// collected in the batch's <see cref="AppliedRequests"/>, so they are stored by the same write.
/// </summary>
internal static partial class ConfigBatch
{
    /// <summary>
    /// The document after <paramref name="batch"/> (null when nothing changed), the outcome of each
    /// edit in order, and the record of applied keys that the write must store.
    /// </summary>
    /// <param name="document">The committed document.</param>
    /// <param name="batch">The edits, in arrival order.</param>
    /// <param name="ledger">Makes the record of applied keys as stored (called once per attempt).</param>
    /// <param name="replay">The answer for an edit whose key the record holds, else null.</param>
    /// <param name="logger">Where a throwing edit is logged.</param>
    public static (ConfigDocument? Next, List<EditOutcome> Outcomes, AppliedRequests Requests) Prepare(ConfigDocument document,
        IReadOnlyList<ConfigWork.Edit> batch, Func<AppliedRequests> ledger, Func<AppliedRequests, IdempotencyToken?, EditOutcome?> replay, ILogger logger)
    {
        try
        {
            var requests = ledger();
            var working = new ConfigWorkingCopy(document);
            var outcomes = batch.Select(edit => Apply(working, edit, requests, replay)).ToList();
            return (working.HasChanges ? working.Render() : null, outcomes, requests);
        }
        catch (Exception e)
        {
            LogBatchFailed(logger, batch.Count, e.Message);
            return PrepareOneByOne(document, batch, ledger(), replay, logger);
        }
    }

    private static (ConfigDocument? Next, List<EditOutcome> Outcomes, AppliedRequests Requests) PrepareOneByOne(ConfigDocument document,
        IReadOnlyList<ConfigWork.Edit> batch, AppliedRequests requests, Func<AppliedRequests, IdempotencyToken?, EditOutcome?> replay, ILogger logger)
    {
        var current = document;
        var outcomes = new List<EditOutcome>(batch.Count);
        foreach (var edit in batch)
        {
            try
            {
                var working = new ConfigWorkingCopy(current);
                // The key is recorded only once the edit's text is rendered: a throwing edit leaves no key either.
                var outcome = Apply(working, edit, requests, replay, record: false);
                if (working.HasChanges) current = working.Render();
                if (outcome.IsAccepted && outcome.Changes.Count > 0) requests.Add(edit.Request.Idempotency);
                outcomes.Add(outcome);
            }
            catch (Exception e)
            {
                LogEditFailed(logger, e, edit.Request.Method, edit.Resource.Route);
                // The reference's wording for a change that could not be saved.
                outcomes.Add(EditOutcome.Refused(Refusals.SaveFailed(e.Message)));
            }
        }
        return (ReferenceEquals(current, document) ? null : current, outcomes, requests);
    }

    private static EditOutcome Apply(ConfigWorkingCopy working, ConfigWork.Edit edit, AppliedRequests requests,
        Func<AppliedRequests, IdempotencyToken?, EditOutcome?> replay, bool record = true)
    {
        if (replay(requests, edit.Request.Idempotency) is { } replayed) return replayed;
        var outcome = edit.Resource.Edit(working, edit.ResourceRequest);
        if (outcome.IsAccepted) working.Apply(outcome.Changes);
        if (record && outcome.IsAccepted && outcome.Changes.Count > 0) requests.Add(edit.Request.Idempotency);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An edit of a batch of {Count} threw ({Error}); applying the batch edit by edit")]
    private static partial void LogBatchFailed(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Config edit {Method} {Route} failed; refused as not saved, the other edits of its batch go on")]
    private static partial void LogEditFailed(ILogger logger, Exception exception, string method, string route);
}
