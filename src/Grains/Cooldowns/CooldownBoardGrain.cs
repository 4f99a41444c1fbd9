using System.Collections.Immutable;
using CliProxy.Abstractions.Cooldowns;
using CliProxy.Domain.Errors;
using CliProxy.Domain.Proxy.Cooldowns;
using CliProxy.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Orleans.Utilities;

namespace CliProxy.Grains.Cooldowns;

/// <summary>
/// The cluster's cooldown board (see <see cref="ICooldownBoardGrain"/>). Runtime state, in memory on
/// purpose: a 429 storm would otherwise cost a storage write per report, and what a restart loses is
/// short-lived (at worst, a credential is tried again once and cools again). Each report that changes the
/// table — plus the spent pairs forgotten on the way — is one new version, pushed to the subscribers as one
/// <see cref="CooldownChange"/>. Spent pairs are also forgotten by a timer, so an idle board shrinks.
/// </summary>
[KeepAlive]
public sealed class CooldownBoardGrain(
    [FromKeyedServices(GrainServiceKeys.Clock)] TimeProvider time,
    ILogger<CooldownBoardGrain> logger) : Grain, ICooldownBoardGrain
{
    /// <summary>How often spent pairs are looked for (by the domain clock at reports, by a timer when idle).</summary>
    public static readonly TimeSpan PruneEvery = TimeSpan.FromMinutes(1);

    private readonly ObserverManager<ICooldownBoardObserver> _observers = new(TimeSpan.FromMinutes(5), logger);
    private CooldownTable _table = CooldownTable.Empty;
    private DateTimeOffset _pruneAt;
    private long _version;

    /// <inheritdoc />
    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        _version = now.ToUnixTimeMilliseconds() * 1000;
        _pruneAt = now + PruneEvery;
        this.RegisterGrainTimer(PruneOnTimer, new GrainTimerCreationOptions(PruneEvery, PruneEvery));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<CooldownReportResult> Report(CooldownReport report)
    {
        if (string.IsNullOrEmpty(report.CredentialId)) return Task.FromResult(new CooldownReportResult(null, Refusals.CooldownCredentialRequired));
        if (string.IsNullOrEmpty(report.Model)) return Task.FromResult(new CooldownReportResult(null, Refusals.CooldownModelRequired));
        var now = time.GetUtcNow();
        var key = new CooldownKey(report.CredentialId, report.Model);
        var current = _table.Find(key);
        var next = CooldownRules.Next(current, report.Status, report.RetryHint, report.DisableCooling, now);
        ImmutableArray<CooldownPair> set = next is not null && next != current ? [key.ToPair(next)] : [];
        var removed = next is null && current is not null ? new List<CooldownKey> { key } : [];
        if (now >= _pruneAt)
        {
            _pruneAt = now + PruneEvery;
            removed.AddRange(_table.Spent(now).Where(k => k != key));
        }
        var change = Publish(set, removed);
        return Task.FromResult(change is null ? CooldownReportResult.Unchanged : new CooldownReportResult(change, null));
    }

    /// <inheritdoc />
    public Task<CooldownSnapshot> GetSnapshot() =>
        Task.FromResult(new CooldownSnapshot(_version, [.. _table.Entries.Select(e => e.Key.ToPair(e.Value))]));

    /// <inheritdoc />
    public Task<long> GetVersion() => Task.FromResult(_version);

    /// <inheritdoc />
    public Task Subscribe(ICooldownBoardObserver observer)
    {
        _observers.Subscribe(observer, observer);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task Unsubscribe(ICooldownBoardObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    private Task PruneOnTimer(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        _pruneAt = now + PruneEvery;
        Publish([], [.. _table.Spent(now)]);
        return Task.CompletedTask;
    }

    /// <summary>Applies a change (if any), moves to the next version and pushes it (one-way: a lost push is caught by the subscriber's version check).</summary>
    private CooldownChange? Publish(ImmutableArray<CooldownPair> set, IReadOnlyCollection<CooldownKey> removed)
    {
        if (set.IsEmpty && removed.Count == 0) return null;
        _table = _table.With(set.Select(p => KeyValuePair.Create(p.Key(), p.Entry())), removed);
        var change = new CooldownChange(_version, _version + 1, set, [.. removed.Select(k => k.ToPairKey())]);
        _version = change.To;
        _ = _observers.Notify(o => o.OnCooldownsChanged(change));
        return change;
    }
}
