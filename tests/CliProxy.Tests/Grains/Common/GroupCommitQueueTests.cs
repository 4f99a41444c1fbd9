using CliProxy.Grains.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace CliProxy.Tests.Grains.Common;

/// <summary>
/// The group-commit queue on its own: batching of what arrives during a commit, the joining rule,
/// arrival order, and an answer for every item when a commit throws. Commits are held open by
/// gates the test releases, so every interleaving is chosen, not timed.
/// </summary>
[Unit]
public sealed class GroupCommitQueueTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    /// <summary>Records each batch; the commit of an item listed in <see cref="Holds"/> waits for that gate.</summary>
    private sealed class Committer
    {
        public List<string[]> Batches { get; } = [];
        public Dictionary<string, TaskCompletionSource> Holds { get; } = [];
        public HashSet<string> Throws { get; } = [];
        public int InFlight;
        public int MaxInFlight;

        public async Task<IReadOnlyList<string>> Commit(IReadOnlyList<string> items)
        {
            MaxInFlight = Math.Max(MaxInFlight, Interlocked.Increment(ref InFlight));
            try
            {
                Batches.Add([.. items]);
                foreach (var item in items)
                    if (Holds.TryGetValue(item, out var gate)) await gate.Task;
                if (items.Any(Throws.Contains)) throw new InvalidOperationException("disk full");
                return items.Select(i => "stored " + i).ToList();
            }
            finally
            {
                Interlocked.Decrement(ref InFlight);
            }
        }

        public TaskCompletionSource Hold(string item) => Holds[item] = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static GroupCommitQueue<string, string> Queue(Committer committer, Func<string, string, bool>? joins = null) =>
        new(committer.Commit, joins ?? ((_, _) => true), (item, e) => $"failed {item}: {e.Message}", NullLogger.Instance);

    [Fact]
    public async Task Items_that_arrive_during_a_commit_are_committed_together_by_the_next_one_and_each_caller_gets_its_own_result()
    {
        var committer = new Committer();
        var gate = committer.Hold("a");
        var queue = Queue(committer);

        var a = queue.Enqueue("a");
        var rest = new[] { "b", "c", "d" }.Select(queue.Enqueue).ToList();
        Assert.Equal(3, queue.Pending);
        gate.SetResult();

        Assert.Equal("stored a", await a.WaitAsync(Prompt));
        Assert.Equal(["stored b", "stored c", "stored d"], await Task.WhenAll(rest).WaitAsync(Prompt));
        Assert.Equal([["a"], ["b", "c", "d"]], committer.Batches);
        Assert.Equal(1, committer.MaxInFlight);
        Assert.Equal(0, queue.Pending);
    }

    [Fact]
    public async Task An_item_that_does_not_join_runs_alone_and_arrival_order_is_kept()
    {
        var committer = new Committer();
        var gate = committer.Hold("e0");
        // Edits ("e…") batch with edits; anything else runs alone.
        var queue = Queue(committer, (first, next) => first[0] == 'e' && next[0] == 'e');

        var all = new[] { "e0", "e1", "e2", "r3", "e4", "r5", "r6", "e7" }.Select(queue.Enqueue).ToList();
        gate.SetResult();
        var results = await Task.WhenAll(all).WaitAsync(Prompt);

        Assert.Equal([["e0"], ["e1", "e2"], ["r3"], ["e4"], ["r5"], ["r6"], ["e7"]], committer.Batches);
        Assert.Equal(["stored e0", "stored e1", "stored e2", "stored r3", "stored e4", "stored r5", "stored r6", "stored e7"], results);
    }

    [Fact]
    public async Task When_a_commit_throws_every_item_of_its_batch_is_answered_and_the_next_batch_runs()
    {
        var committer = new Committer();
        var gate = committer.Hold("a");
        committer.Throws.Add("c");
        var queue = Queue(committer, (first, next) => next != "d");

        var a = queue.Enqueue("a");
        var failing = new[] { "b", "c" }.Select(queue.Enqueue).ToList();
        var after = queue.Enqueue("d");
        gate.SetResult();

        Assert.Equal("stored a", await a.WaitAsync(Prompt));
        Assert.Equal(["failed b: disk full", "failed c: disk full"], await Task.WhenAll(failing).WaitAsync(Prompt));
        Assert.Equal("stored d", await after.WaitAsync(Prompt));
        Assert.Equal([["a"], ["b", "c"], ["d"]], committer.Batches);

        // The queue is idle again and starts the next commit at once.
        Assert.Equal("stored e", await queue.Enqueue("e").WaitAsync(Prompt));
    }

    [Fact]
    public async Task A_commit_that_answers_the_wrong_number_of_items_is_a_fault()
    {
        var blocker = new TaskCompletionSource<IReadOnlyList<string>>(TaskCreationOptions.RunContinuationsAsynchronously);
        var calls = 0;
        var queue = new GroupCommitQueue<string, string>(items => ++calls == 1 ? blocker.Task : Task.FromResult<IReadOnlyList<string>>(["only one"]),
            (_, _) => true, (item, e) => "fault " + item + ": " + e.GetType().Name, NullLogger.Instance);

        var first = queue.Enqueue("x");
        var pair = new[] { "y", "z" }.Select(queue.Enqueue).ToList();
        blocker.SetResult(["x done"]);

        Assert.Equal("x done", await first.WaitAsync(Prompt));
        Assert.Equal(["fault y: InvalidOperationException", "fault z: InvalidOperationException"], await Task.WhenAll(pair).WaitAsync(Prompt));
    }

    [Fact]
    public async Task A_fault_handler_that_throws_still_answers_its_caller_and_the_queue_goes_on()
    {
        var calls = 0;
        var queue = new GroupCommitQueue<string, string>(
            items => ++calls == 1 ? throw new InvalidOperationException("commit broke") : Task.FromResult<IReadOnlyList<string>>([.. items]),
            (_, _) => true, (_, _) => throw new FormatException("handler broke"), NullLogger.Instance);

        var failed = await Assert.ThrowsAsync<AggregateException>(() => queue.Enqueue("a").WaitAsync(Prompt));
        Assert.Equal(["commit broke", "handler broke"], failed.InnerExceptions.Select(e => e.Message));
        Assert.Equal("b", await queue.Enqueue("b").WaitAsync(Prompt));
    }

    [Fact]
    public async Task Concurrent_callers_on_many_threads_are_each_answered_once_with_their_own_result()
    {
        var committer = new Committer();
        var queue = Queue(committer);
        var items = Enumerable.Range(0, 500).Select(i => "i" + i).ToList();

        var results = await Task.WhenAll(items.Select(i => Task.Run(() => queue.Enqueue(i)))).WaitAsync(Prompt);

        Assert.Equal(items.Select(i => "stored " + i), results);
        var committed = committer.Batches.SelectMany(b => b).ToList();
        Assert.Equal(items.Count, committed.Count);
        Assert.Equal(items.Order(), committed.Order());
        Assert.Equal(1, committer.MaxInFlight);
    }
}
