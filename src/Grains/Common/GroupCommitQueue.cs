using Microsoft.Extensions.Logging;

namespace CliProxy.Grains.Common;

/// <summary>
/// Group commit: items are committed in arrival order, one batch at a time; the items that arrive
/// while a commit is in flight wait, and as many of them as may go together (<c>joins</c>) are
/// committed by the next commit, so N concurrent changes cost far fewer than N stored writes. Each
/// caller gets its own item's result. Every item is answered whatever happens: when a commit
/// throws (a fault, not a refusal: refusals are results), each item of its batch is answered with
/// <c>fault</c>'s result and the next batch runs, so no caller waits for a timeout and the queue
/// never stops.
/// </summary>
/// <remarks>
/// Knows nothing of Orleans. Its awaits keep the caller's scheduler, so inside a grain (which must
/// be reentrant, or items would never queue up behind a commit) the commits run as turns of the
/// activation. It is also safe to use from several threads.
/// </remarks>
/// <typeparam name="TItem">One queued request.</typeparam>
/// <typeparam name="TResult">The answer to one request.</typeparam>
/// <param name="commit">Commits one batch (never empty, in arrival order) and returns one result per item, in the same order.</param>
/// <param name="joins">Whether <c>next</c> may join the batch that <c>first</c> starts (both are at the head of the queue, in order); must not throw.</param>
/// <param name="fault">The result of an item whose batch's commit threw (or returned a wrong number of results).</param>
/// <param name="logger">Where a failed commit is logged.</param>
public sealed partial class GroupCommitQueue<TItem, TResult>(
    Func<IReadOnlyList<TItem>, Task<IReadOnlyList<TResult>>> commit,
    Func<TItem, TItem, bool> joins,
    Func<TItem, Exception, TResult> fault,
    ILogger logger)
{
    private readonly Lock _gate = new();
    private readonly Queue<(TItem Item, TaskCompletionSource<TResult> Answer)> _queue = new();
    private bool _pumping;

    /// <summary>Items waiting for a commit (not counting the batch in flight).</summary>
    public int Pending
    {
        get
        {
            lock (_gate) return _queue.Count;
        }
    }

    /// <summary>
    /// Queues <paramref name="item"/>; the task completes with its result once its batch is
    /// committed (or failed). When no commit is in flight, the commit of its batch starts now,
    /// on the calling thread.
    /// </summary>
    public Task<TResult> Enqueue(TItem item)
    {
        var answer = new TaskCompletionSource<TResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        bool start;
        lock (_gate)
        {
            _queue.Enqueue((item, answer));
            start = !_pumping;
            _pumping = true;
        }
        if (start) _ = Pump();
        return answer.Task;
    }

    /// <summary>Commits batches until the queue is empty.</summary>
    private async Task Pump()
    {
        while (TakeBatch() is { } batch)
        {
            var items = batch.ConvertAll(b => b.Item);
            try
            {
                var results = await commit(items);
                if (results.Count != items.Count)
                    throw new InvalidOperationException($"the commit returned {results.Count} results for {items.Count} items");
                for (var i = 0; i < batch.Count; i++) batch[i].Answer.TrySetResult(results[i]);
            }
            catch (Exception e)
            {
                LogCommitFailed(logger, e, items.Count, items[0]?.GetType().Name ?? "null");
                foreach (var (item, answer) in batch) AnswerFault(answer, item, e);
            }
        }
    }

    /// <summary>The next batch: the head item and those after it that join it; null (and the pump stops) when the queue is empty.</summary>
    private List<(TItem Item, TaskCompletionSource<TResult> Answer)>? TakeBatch()
    {
        lock (_gate)
        {
            if (_queue.Count == 0)
            {
                _pumping = false;
                return null;
            }
            var batch = new List<(TItem, TaskCompletionSource<TResult>)> { _queue.Dequeue() };
            while (_queue.TryPeek(out var next) && joins(batch[0].Item1, next.Item)) batch.Add(_queue.Dequeue());
            return batch;
        }
    }

    /// <summary>Answers with <c>fault</c>'s result; if even that throws, with both exceptions, so the caller is still answered.</summary>
    private void AnswerFault(TaskCompletionSource<TResult> answer, TItem item, Exception e)
    {
        try
        {
            answer.TrySetResult(fault(item, e));
        }
        catch (Exception inner)
        {
            LogFaultFailed(logger, inner);
            answer.TrySetException(new AggregateException(e, inner));
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "A group commit of {Count} item(s) starting with {Kind} failed; its callers are answered with the fault result and the queue goes on")]
    private static partial void LogCommitFailed(ILogger logger, Exception exception, int count, string kind);

    [LoggerMessage(Level = LogLevel.Error, Message = "The fault result of a failed group commit could not be built")]
    private static partial void LogFaultFailed(ILogger logger, Exception exception);
}
