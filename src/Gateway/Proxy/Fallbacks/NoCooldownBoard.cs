using CliProxy.Domain.Proxy.Cooldowns;

namespace CliProxy.Gateway.Proxy.Fallbacks;

/// <summary>
/// Stand-in <see cref="ICooldownBoard"/> until the cluster-wide board is registered (issue 12, its own branch): nothing
/// is ever blocked and reports are dropped. Registered only when no board is (<c>TryAdd</c>).
/// </summary>
public sealed class NoCooldownBoard : ICooldownBoard
{
    /// <inheritdoc />
    public CooldownBlock? Find(string credentialId, string model, DateTimeOffset now) => null;

    /// <inheritdoc />
    public ValueTask ReportAsync(AttemptOutcome outcome, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;
}
