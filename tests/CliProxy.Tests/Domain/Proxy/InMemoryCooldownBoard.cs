using System.Collections.Concurrent;
using CliProxy.Domain.Proxy.Cooldowns;

namespace CliProxy.Tests.Domain.Proxy;

/// <summary>A test <see cref="ICooldownBoard"/>: blocks set by hand, or a 429/5xx report cools for its hint (else 1 s); reports kept.</summary>
public sealed class InMemoryCooldownBoard(TimeProvider? time = null) : ICooldownBoard
{
    private readonly ConcurrentDictionary<(string, string), CooldownBlock> _blocks = new();

    /// <summary>Every report, in order.</summary>
    public ConcurrentQueue<AttemptOutcome> Reports { get; } = new();

    /// <summary>Blocks <paramref name="credential"/> for <paramref name="model"/>.</summary>
    public void Block(string credential, string model, DateTimeOffset until, bool quota) => _blocks[(credential, model)] = new CooldownBlock(until, quota);

    /// <inheritdoc />
    public CooldownBlock? Find(string credentialId, string model, DateTimeOffset now) =>
        _blocks.TryGetValue((credentialId, model), out var block) && block.Until > now ? block : null;

    /// <inheritdoc />
    public ValueTask ReportAsync(AttemptOutcome outcome, CancellationToken cancellationToken = default)
    {
        Reports.Enqueue(outcome);
        var now = (time ?? TimeProvider.System).GetUtcNow();
        if (outcome.Status is >= 200 and < 300) _blocks.TryRemove((outcome.CredentialId, outcome.Model), out _);
        else if (outcome.Status is 429 or >= 500) Block(outcome.CredentialId, outcome.Model, now + (outcome.RetryHint ?? TimeSpan.FromSeconds(1)), outcome.Status == 429);
        return ValueTask.CompletedTask;
    }
}
