using CliProxy.Abstractions.Cooldowns;
using CliProxy.Domain.Errors;
using CliProxy.Domain.Proxy.Cooldowns;
using CliProxy.Gateway.Proxy.Cooldowns;
using CliProxy.Grains.Cooldowns;
using Microsoft.Extensions.Logging.Abstractions;
using Xunit.Abstractions;

namespace CliProxy.Tests.Grains;

/// <summary>
/// The cluster-wide cooldowns on a 2-silo cluster: two nodes (a <see cref="CooldownMirror"/> and a
/// <see cref="ClusterCooldownBoard"/> on each silo) share what either reports; a success resets; blocks
/// end and are forgotten by the grain's clock; concurrent reports of one 429 count once. Each test uses its
/// own credential ids (the board is shared by the class).
/// </summary>
[Grain]
public sealed class CooldownBoardTests(SiloClusterFixture fixture, ITestOutputHelper output) : IClassFixture<SiloClusterFixture>, IAsyncLifetime
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);
    private readonly List<CooldownMirror> _mirrors = [];
    private ClusterCooldownBoard _a = null!;
    private ClusterCooldownBoard _b = null!;

    private ICooldownBoardGrain Grain(int silo) => fixture.Silo(silo).GetGrain<ICooldownBoardGrain>(CooldownBoardKeys.Cluster);

    private DateTimeOffset Now => fixture.Time.GetUtcNow();

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        _a = await Node(0);
        _b = await Node(1);
    }

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        foreach (var mirror in _mirrors) await mirror.StopAsync(CancellationToken.None);
    }

    private async Task<ClusterCooldownBoard> Node(int silo)
    {
        var mirror = new CooldownMirror(fixture.Silo(silo), fixture.Time, NullLogger<CooldownMirror>.Instance);
        _mirrors.Add(mirror);
        await mirror.StartAsync(CancellationToken.None);
        await Poll.UntilAsync(() => mirror.Fresh is not null, Prompt, () => $"node {silo}'s first read");
        return new ClusterCooldownBoard(fixture.Silo(silo), mirror, fixture.Time, NullLogger<ClusterCooldownBoard>.Instance);
    }

    [Fact]
    public async Task A_429_reported_on_one_node_cools_the_credential_on_the_other_within_a_second()
    {
        const string credential = "spread-claude.json";
        var watch = System.Diagnostics.Stopwatch.StartNew();
        await _a.ReportAsync(new AttemptOutcome(credential, "claude-sonnet-4", 429, null, false));
        // The reporting node sees its own block at once (the grain's answer is applied to its copy).
        Assert.Equal(new CooldownBlock(Now.AddSeconds(1), true), _a.Find(credential, "claude-sonnet-4", Now));

        await Poll.UntilAsync(() => _b.Find(credential, "claude-sonnet-4", Now) is not null, Prompt,
            () => "the block on the second node", TimeSpan.FromMilliseconds(1));
        var took = watch.Elapsed;
        output.WriteLine($"second node saw the 429 {took.TotalMilliseconds:F1} ms after the report began");
        Assert.True(took < TimeSpan.FromSeconds(1), $"the push took {took.TotalMilliseconds:F0} ms");
        Assert.Equal(new CooldownBlock(Now.AddSeconds(1), true), _b.Find(credential, "claude-sonnet-4", Now));
        Assert.Null(_b.Find(credential, "claude-opus-4", Now)); // per model
        Assert.Equal(["claude-sonnet-4"], _b.BlocksOf(credential, Now).Keys);
    }

    [Fact]
    public async Task A_success_after_the_cooldown_resets_the_pair_on_every_node()
    {
        const string credential = "reset-codex.json";
        await _a.ReportAsync(new AttemptOutcome(credential, "gpt-5", 429, null, false));
        await Poll.UntilAsync(() => _b.Find(credential, "gpt-5", Now) is not null, Prompt, () => "the block on the second node");
        fixture.Time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(_b.Find(credential, "gpt-5", Now)); // ended, but remembered for its level

        await _b.ReportAsync(new AttemptOutcome(credential, "gpt-5", 200, null, false));
        await Poll.UntilAsync(() => _mirrors.All(m => m.Latest!.Find(credential, "gpt-5") is null), Prompt, () => "the reset on both nodes");
        Assert.DoesNotContain((await Grain(0).GetSnapshot()).Pairs, p => p.CredentialId == credential);

        // The next 429 starts the series again at 1 s.
        await _b.ReportAsync(new AttemptOutcome(credential, "gpt-5", 429, null, false));
        Assert.Equal(Now.AddSeconds(1), _b.Find(credential, "gpt-5", Now)!.Until);
    }

    [Fact]
    public async Task A_success_on_a_pair_nobody_remembers_costs_no_grain_call()
    {
        var version = await Grain(0).GetVersion();
        await _a.ReportAsync(new AttemptOutcome("healthy.json", "gpt-5", 200, null, false));
        await _a.ReportAsync(new AttemptOutcome("healthy.json", "gpt-5", 400, null, false)); // "other": no cooldown
        Assert.Equal(version, await Grain(1).GetVersion());
    }

    [Fact]
    public async Task Blocks_end_by_the_clock_and_spent_pairs_are_forgotten()
    {
        const string credential = "expiry-gemini.json";
        await _a.ReportAsync(new AttemptOutcome(credential, "gemini-2.5-pro", 503, null, false));
        await Poll.UntilAsync(() => _b.Find(credential, "gemini-2.5-pro", Now) is not null, Prompt, () => "the block on the second node");
        Assert.Equal(Now.AddMinutes(1), _b.Find(credential, "gemini-2.5-pro", Now)!.Until);

        fixture.Time.Advance(CooldownBoardGrain.PruneEvery + TimeSpan.FromSeconds(1));
        Assert.Null(_a.Find(credential, "gemini-2.5-pro", Now));
        Assert.Null(_b.Find(credential, "gemini-2.5-pro", Now));

        // The next report past the prune time forgets the spent pair, on the grain and on both nodes.
        await _a.ReportAsync(new AttemptOutcome("expiry-other.json", "gemini-2.5-pro", 500, null, false));
        Assert.DoesNotContain((await Grain(1).GetSnapshot()).Pairs, p => p.CredentialId == credential);
        await Poll.UntilAsync(() => _mirrors.All(m => m.Latest!.Find(credential, "gemini-2.5-pro") is null), Prompt, () => "the pruned pair gone on both nodes");
    }

    [Fact]
    public async Task Concurrent_reports_of_one_429_from_two_nodes_count_once()
    {
        const string credential = "race-kimi.json";
        await Task.WhenAll(
            _a.ReportAsync(new AttemptOutcome(credential, "kimi-k2", 429, null, false)).AsTask(),
            _b.ReportAsync(new AttemptOutcome(credential, "kimi-k2", 429, null, false)).AsTask(),
            Grain(0).Report(new CooldownReport(credential, "kimi-k2", 429, null, false)),
            Grain(1).Report(new CooldownReport(credential, "kimi-k2", 429, null, false)));
        var pair = (await Grain(0).GetSnapshot()).Pairs.Single(p => p.CredentialId == credential);
        Assert.Equal((Now.AddSeconds(1), true, 1), (pair.Until, pair.Quota, pair.Level));

        // After the block ended, the next 429 is a new one: the level grows.
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        await _b.ReportAsync(new AttemptOutcome(credential, "kimi-k2", 429, null, false));
        var next = (await Grain(1).GetSnapshot()).Pairs.Single(p => p.CredentialId == credential);
        Assert.Equal((Now.AddSeconds(2), 2), (next.Until, next.Level));
    }

    [Fact]
    public async Task A_report_without_credential_or_model_is_refused_and_changes_nothing()
    {
        var version = await Grain(0).GetVersion();
        Assert.Equal(Refusals.CooldownCredentialRequired, (await Grain(0).Report(new CooldownReport("", "m", 429, null, false))).Refusal);
        Assert.Equal(Refusals.CooldownModelRequired, (await Grain(1).Report(new CooldownReport("c", "", 429, null, false))).Refusal);
        await _a.ReportAsync(new AttemptOutcome("", "m", 429, null, false)); // logged, not thrown
        Assert.Equal(version, await Grain(0).GetVersion());
    }

    [Fact]
    public async Task A_node_that_starts_later_reads_the_blocks_in_force()
    {
        const string credential = "late-qwen.json";
        await _a.ReportAsync(new AttemptOutcome(credential, "qwen3-coder", 404, null, false));
        var late = await Node(1);
        Assert.Equal(new CooldownBlock(Now.AddHours(12), false), late.Find(credential, "qwen3-coder", Now));
    }
}
