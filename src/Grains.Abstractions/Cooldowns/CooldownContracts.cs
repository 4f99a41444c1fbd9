using System.Collections.Immutable;
using CliProxy.Domain.Errors;

namespace CliProxy.Abstractions.Cooldowns;

/// <summary>The wire form of one attempt's outcome (the domain's <c>AttemptOutcome</c>).</summary>
/// <param name="CredentialId">The credential's id.</param>
/// <param name="Model">The requested model, suffix-stripped.</param>
/// <param name="Status">Upstream HTTP status (0 for a transport error).</param>
/// <param name="RetryHint">The upstream's retry hint, if any.</param>
/// <param name="DisableCooling">The effective <c>disable-cooling</c>.</param>
[GenerateSerializer, Immutable]
public sealed record CooldownReport(
    [property: Id(0)] string CredentialId,
    [property: Id(1)] string Model,
    [property: Id(2)] int Status,
    [property: Id(3)] TimeSpan? RetryHint,
    [property: Id(4)] bool DisableCooling);

/// <summary>One remembered pair (the domain's <c>CooldownKey</c> and <c>CooldownEntry</c>).</summary>
/// <param name="CredentialId">The credential's id.</param>
/// <param name="Model">The requested model.</param>
/// <param name="Until">When the block ends (may be past: an ended block remembered for its backoff level).</param>
/// <param name="Quota">Whether the block is a quota cooldown.</param>
/// <param name="Level">The exponential 429 backoff level.</param>
[GenerateSerializer, Immutable]
public sealed record CooldownPair(
    [property: Id(0)] string CredentialId,
    [property: Id(1)] string Model,
    [property: Id(2)] DateTimeOffset Until,
    [property: Id(3)] bool Quota,
    [property: Id(4)] int Level);

/// <summary>A pair forgotten: reset by a success, or spent.</summary>
/// <param name="CredentialId">The credential's id.</param>
/// <param name="Model">The requested model.</param>
[GenerateSerializer, Immutable]
public sealed record CooldownPairKey([property: Id(0)] string CredentialId, [property: Id(1)] string Model);

/// <summary>
/// One change of the board. A node whose copy is not at <paramref name="From"/> missed a change and reads
/// the whole board again.
/// </summary>
/// <param name="From">The version the change applies to.</param>
/// <param name="To">The version after it.</param>
/// <param name="Set">Pairs added or replaced.</param>
/// <param name="Removed">Pairs forgotten.</param>
[GenerateSerializer, Immutable]
public sealed record CooldownChange(
    [property: Id(0)] long From,
    [property: Id(1)] long To,
    [property: Id(2)] ImmutableArray<CooldownPair> Set,
    [property: Id(3)] ImmutableArray<CooldownPairKey> Removed);

/// <summary>The board at one version.</summary>
/// <param name="Version">See <see cref="ICooldownBoardGrain.GetVersion"/>.</param>
/// <param name="Pairs">Every remembered pair.</param>
[GenerateSerializer, Immutable]
public sealed record CooldownSnapshot([property: Id(0)] long Version, [property: Id(1)] ImmutableArray<CooldownPair> Pairs);

/// <summary>The answer to <see cref="ICooldownBoardGrain.Report"/>.</summary>
/// <param name="Change">The change the report made, or null when it changed nothing (or was refused).</param>
/// <param name="Refusal">Why the report was refused, or null.</param>
[GenerateSerializer, Immutable]
public sealed record CooldownReportResult([property: Id(0)] CooldownChange? Change, [property: Id(1)] Refusal? Refusal)
{
    /// <summary>The answer to a report that changed nothing.</summary>
    public static CooldownReportResult Unchanged { get; } = new(null, null);
}
