using CliProxy.Grains.Config.Resources;
using Microsoft.Extensions.Logging;

namespace CliProxy.Grains.Config;

/// <summary>
/// Turns one group-commit batch into the document to store and one outcome per edit. Normally
/// every edit is applied to one working copy and the text is rendered once. An edit that throws
/// (in its resource, while applied, or while rendered) must fail alone and leave no trace, so then
/// the batch is prepared again edit by edit, each edit on a fresh working copy of the document as
/// left by the edits before it: the throwing edit's copy is dropped with whatever it had changed,
/// it is answered 500, and the others go on.
/// </summary>
internal static partial class ConfigBatch
{
    /// <summary>The document after <paramref name="batch"/> (null when nothing changed) and the outcome of each edit, in order.</summary>
    public static (ConfigDocument? Next, List<EditOutcome> Outcomes) Prepare(ConfigDocument document, IReadOnlyList<ConfigWork.Edit> batch, ILogger logger)
    {
        try
        {
            var working = new ConfigWorkingCopy(document);
            var outcomes = batch.Select(edit => Apply(working, edit)).ToList();
            return (working.HasChanges ? working.Render() : null, outcomes);
        }
        catch (Exception e)
        {
            LogBatchFailed(logger, batch.Count, e.Message);
            return PrepareOneByOne(document, batch, logger);
        }
    }

    private static (ConfigDocument? Next, List<EditOutcome> Outcomes) PrepareOneByOne(ConfigDocument document, IReadOnlyList<ConfigWork.Edit> batch, ILogger logger)
    {
        var current = document;
        var outcomes = new List<EditOutcome>(batch.Count);
        foreach (var edit in batch)
        {
            try
            {
                var working = new ConfigWorkingCopy(current);
                var outcome = Apply(working, edit);
                if (working.HasChanges) current = working.Render();
                outcomes.Add(outcome);
            }
            catch (Exception e)
            {
                LogEditFailed(logger, e, edit.Request.Method, edit.Resource.Route);
                // The reference's wording for a change that could not be saved (spec management-config.md §1.3).
                outcomes.Add(new EditOutcome(500, "failed to save config: " + e.Message, []));
            }
        }
        return (ReferenceEquals(current, document) ? null : current, outcomes);
    }

    private static EditOutcome Apply(ConfigWorkingCopy working, ConfigWork.Edit edit)
    {
        var outcome = edit.Resource.Edit(working, edit.Request);
        if (outcome.Status == 200) working.Apply(outcome.Changes);
        return outcome;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "An edit of a batch of {Count} threw ({Error}); applying the batch edit by edit")]
    private static partial void LogBatchFailed(ILogger logger, int count, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Config edit {Method} {Route} failed; answered 500, the other edits of its batch go on")]
    private static partial void LogEditFailed(ILogger logger, Exception exception, string method, string route);
}
