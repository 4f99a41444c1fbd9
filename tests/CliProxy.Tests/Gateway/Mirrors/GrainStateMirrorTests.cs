using CliProxy.Gateway.Mirrors;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Gateway.Mirrors;

/// <summary>
/// The node-local mirror on its own, against a fake grain (<see cref="TestMirror"/>): reads through
/// the copy, pushes of whole states and of changes, the version check, invalidation, and the retry
/// of a failed pass. Time is a <see cref="FakeTimeProvider"/>; waits are gates the test opens.
/// </summary>
[Unit]
public sealed class GrainStateMirrorTests
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();

    private static async Task<string> Seeded(TestMirror mirror, long version, string state)
    {
        mirror.Grain = (version, state);
        var read = await mirror.GetAsync();
        mirror.ClearCalls();
        return read;
    }

    [Fact]
    public async Task The_first_read_asks_the_grain_and_later_reads_cost_no_call()
    {
        var mirror = new TestMirror(_time) { Grain = (3, "three") };
        Assert.Null(mirror.Fresh);

        Assert.Equal("three", await mirror.GetAsync());
        Assert.Equal("three", await mirror.GetAsync());
        Assert.Equal("three", mirror.Fresh);
        Assert.Equal(3, mirror.Version);
        Assert.Equal(["state"], mirror.Calls);
    }

    [Fact]
    public async Task Latest_keeps_the_copy_while_it_is_not_trusted()
    {
        var mirror = new TestMirror(_time);
        Assert.Null(mirror.Latest);
        await Seeded(mirror, 5, "five");
        mirror.Invalidate();
        Assert.Null(mirror.Fresh);
        Assert.Equal("five", mirror.Latest);
        Assert.Empty(mirror.Calls);
    }

    [Fact]
    public async Task Concurrent_readers_share_one_read_of_the_grain()
    {
        var mirror = new TestMirror(_time) { Grain = (3, "three"), HoldStateReads = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var readers = Enumerable.Range(0, 8).Select(_ => mirror.GetAsync().AsTask()).ToList();
        mirror.HoldStateReads.SetResult();

        Assert.All(await Task.WhenAll(readers).WaitAsync(Prompt), r => Assert.Equal("three", r));
        Assert.Equal(1, mirror.Count("state"));
    }

    [Fact]
    public async Task A_pushed_state_newer_than_the_copy_is_adopted_and_an_older_one_ignored()
    {
        var mirror = new TestMirror(_time);
        await Seeded(mirror, 5, "five");

        mirror.PushWhole(7, "seven");
        Assert.Equal("seven", mirror.Fresh);
        mirror.PushWhole(6, "six");
        mirror.PushWhole(7, "seven again");
        Assert.Equal("seven", await mirror.GetAsync());
        Assert.Equal(7, mirror.Version);
        Assert.Empty(mirror.Calls);
    }

    [Fact]
    public async Task A_pushed_change_from_the_copys_version_is_applied_without_a_grain_call()
    {
        var mirror = new TestMirror(_time);
        await Seeded(mirror, 5, "a");

        mirror.PushChange(5, 6, "b");
        mirror.PushChange(6, 7, "c");

        Assert.Equal("abc", await mirror.GetAsync());
        Assert.Equal(7, mirror.Version);
        Assert.Empty(mirror.Calls);
    }

    [Fact]
    public async Task A_change_already_in_the_copy_is_ignored_and_one_from_another_version_makes_the_copy_read_again()
    {
        var mirror = new TestMirror(_time);
        await Seeded(mirror, 5, "a");

        mirror.PushChange(4, 5, "old");
        Assert.Equal("a", mirror.Fresh);

        // 5 → 6 was lost: 6 → 7 does not apply to the copy at 5.
        mirror.PushChange(6, 7, "c");
        Assert.Null(mirror.Fresh);
        mirror.Grain = (7, "abc");
        Assert.Equal("abc", await mirror.GetAsync());
        Assert.Equal(["state"], mirror.Calls);
        Assert.Equal("abc", mirror.Fresh);
    }

    [Fact]
    public async Task A_pass_subscribes_first_then_only_compares_versions_until_the_renewal_is_due()
    {
        var mirror = new TestMirror(_time) { Grain = (1, "one") };

        await mirror.Pass();
        Assert.Equal(["subscribe", "state"], mirror.Calls);
        Assert.Equal("one", mirror.Fresh);

        mirror.ClearCalls();
        await mirror.Pass();
        await mirror.Pass();
        Assert.Equal(["version", "version"], mirror.Calls);

        mirror.ClearCalls();
        _time.Advance(GrainStateMirror<string>.Renewal);
        await mirror.Pass();
        Assert.Equal(["subscribe", "version"], mirror.Calls);
    }

    [Fact]
    public async Task A_stale_version_is_read_again_by_the_next_pass_after_subscribing_again()
    {
        var mirror = new TestMirror(_time) { Grain = (1, "one") };
        await mirror.Pass();
        mirror.ClearCalls();

        // A push was lost (e.g. the grain moved to another silo and forgot its subscribers).
        mirror.Grain = (2, "two");
        await mirror.Pass();

        Assert.Equal(["version", "subscribe", "version", "state"], mirror.Calls);
        Assert.Equal("two", mirror.Fresh);
        Assert.Equal(2, mirror.Version);
    }

    [Fact]
    public async Task A_grain_whose_version_went_down_is_still_believed()
    {
        // A re-activation on a silo whose clock is behind starts from a lower version.
        var mirror = new TestMirror(_time) { Grain = (100, "before") };
        await mirror.Pass();
        mirror.Grain = (50, "after");

        await mirror.Pass();
        Assert.Equal("after", mirror.Fresh);
        mirror.ClearCalls();
        await mirror.Pass();
        Assert.Equal(["version"], mirror.Calls);
    }

    [Fact]
    public async Task Invalidation_makes_the_next_reader_ask_the_grain()
    {
        var mirror = new TestMirror(_time);
        await Seeded(mirror, 5, "five");
        mirror.Grain = (6, "six");

        mirror.Invalidate();

        Assert.Null(mirror.Fresh);
        Assert.Equal("six", await mirror.GetAsync());
        Assert.Equal("six", mirror.Fresh);
        Assert.Equal(["state"], mirror.Calls);
    }

    [Fact]
    public async Task A_read_on_its_way_when_the_copy_is_invalidated_does_not_make_it_trusted()
    {
        var mirror = new TestMirror(_time) { Grain = (5, "five"), HoldStateReads = new(TaskCreationOptions.RunContinuationsAsynchronously) };
        var read = mirror.RefreshAsync();
        mirror.Invalidate();
        mirror.HoldStateReads.SetResult();
        await read.WaitAsync(Prompt);

        Assert.Null(mirror.Fresh);
        mirror.HoldStateReads = null;
        mirror.Grain = (6, "six");
        Assert.Equal("six", await mirror.GetAsync());
    }

    [Fact]
    public async Task A_change_pushed_while_a_read_is_on_its_way_is_kept()
    {
        var mirror = new TestMirror(_time);
        await Seeded(mirror, 5, "a");
        mirror.HoldStateReads = new(TaskCreationOptions.RunContinuationsAsynchronously);
        var read = mirror.RefreshAsync();
        mirror.PushChange(5, 6, "b");
        mirror.HoldStateReads.SetResult();

        Assert.Equal("ab", await read.WaitAsync(Prompt));
        Assert.Equal(6, mirror.Version);
        Assert.Equal("ab", mirror.Fresh);
    }

    [Fact]
    public async Task A_failing_pass_is_retried_on_the_next_tick_and_subscribes_again()
    {
        var mirror = new TestMirror(_time) { Grain = (1, "one"), FailNextSubscribe = true };
        await using (await StartedService.StartAsync(mirror))
        {
            Assert.Equal("failed", await mirror.Passes.Reader.ReadAsync().AsTask().WaitAsync(Prompt));
            Assert.Null(mirror.Fresh);

            _time.Advance(GrainStateMirror<string>.DefaultVersionCheck);
            Assert.Equal("pass", await mirror.Passes.Reader.ReadAsync().AsTask().WaitAsync(Prompt));
            Assert.Equal(["subscribe", "subscribe", "state"], mirror.Calls);
            Assert.Equal("one", mirror.Fresh);
        }
        Assert.Equal("unsubscribe", mirror.Calls[^1]);
    }

    [Fact]
    public async Task A_failed_pass_keeps_the_copy_unless_the_mirror_drops_it_on_failure()
    {
        foreach (var drops in new[] { false, true })
        {
            var time = new FakeTimeProvider();
            var mirror = new TestMirror(time, drops) { Grain = (1, "one") };
            await mirror.Pass();
            Assert.Equal("pass", await mirror.Passes.Reader.ReadAsync().AsTask().WaitAsync(Prompt));
            mirror.FailNextSubscribe = true;
            time.Advance(GrainStateMirror<string>.Renewal);
            await using (await StartedService.StartAsync(mirror))
            {
                Assert.Equal("failed", await mirror.Passes.Reader.ReadAsync().AsTask().WaitAsync(Prompt));
                Assert.Equal(drops ? null : "one", mirror.Fresh);
            }
        }
    }
}
