using CliProxy.Abstractions.Cooldowns;
using CliProxy.Domain.Proxy.Cooldowns;

namespace CliProxy.Gateway.Proxy.Cooldowns;

/// <summary>
/// The node's <see cref="ICooldownBoard"/>: <see cref="Find"/> and <see cref="BlocksOf"/> read the
/// <see cref="CooldownMirror"/> (no grain call; its last copy, also while the cluster is out of reach);
/// <see cref="ReportAsync"/> runs the domain's <see cref="CooldownRules"/> on that copy first and calls the
/// board's grain only when the outcome would change it — a failure that cools, or a success on a pair the
/// copy remembers — so a successful request on a healthy credential costs no grain call. The grain's answer
/// is applied to the copy at once, so the next selection on this node already sees the block; other nodes
/// see it when the grain's push arrives.
/// </summary>
/// <remarks>
/// A report is best effort: when the grain cannot be reached the failure is logged and the request goes on
/// (the copy's rules still hold on other nodes' reports). A report refused as malformed is logged too.
/// </remarks>
public sealed partial class ClusterCooldownBoard(
    IGrainFactory grains, CooldownMirror mirror, TimeProvider time, ILogger<ClusterCooldownBoard> logger) : ICooldownBoard, ICooldownView
{
    private ICooldownBoardGrain Board => grains.GetGrain<ICooldownBoardGrain>(CooldownBoardKeys.Cluster);

    /// <inheritdoc />
    public CooldownBlock? Find(string credentialId, string model, DateTimeOffset now) =>
        mirror.Latest?.BlockAt(credentialId, model, now);

    /// <inheritdoc />
    public IReadOnlyDictionary<string, CooldownBlock> BlocksOf(string credentialId, DateTimeOffset now)
    {
        if (mirror.Latest is not { } table) return new Dictionary<string, CooldownBlock>(StringComparer.Ordinal);
        var blocks = new Dictionary<string, CooldownBlock>(StringComparer.Ordinal);
        foreach (var (model, entry) in table.ForCredential(credentialId))
            if (entry.BlockAt(now) is { } block) blocks[model] = block;
        return blocks;
    }

    /// <inheritdoc />
    public async ValueTask ReportAsync(AttemptOutcome outcome, CancellationToken cancellationToken = default)
    {
        var current = mirror.Latest?.Find(outcome.CredentialId, outcome.Model);
        if (CooldownRules.Next(current, outcome, time.GetUtcNow()) == current) return;
        try
        {
            var result = await Board.Report(outcome.ToReport()).WaitAsync(cancellationToken);
            if (result.Refusal is { } refusal) LogRefused(logger, outcome.CredentialId, outcome.Model, refusal.Error);
            else if (result.Change is { } change) mirror.Accept(change);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogReportFailed(logger, outcome.CredentialId, outcome.Model, outcome.Status, e.Message);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "cooldown report for {Credential}/{Model} (status {Status}) failed: {Error}")]
    private static partial void LogReportFailed(ILogger logger, string credential, string model, int status, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "cooldown report for {Credential}/{Model} refused: {Error}")]
    private static partial void LogRefused(ILogger logger, string credential, string model, string error);
}
