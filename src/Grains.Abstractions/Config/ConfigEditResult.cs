using CliProxy.Domain.Errors;

namespace CliProxy.Abstractions.Config;

/// <summary>
/// Outcome of a change sent to the config grain: the snapshot that holds the change when it was
/// accepted and stored, or the refusal (its kind and the reference's words) when it was not.
/// </summary>
/// <param name="Refusal">Why the change was refused or failed, or null when it was stored.</param>
/// <param name="Snapshot">The stored document after the change (null when refused).</param>
[GenerateSerializer, Immutable]
public sealed record ConfigEditResult(
    [property: Id(0)] Refusal? Refusal,
    [property: Id(1)] ConfigSnapshot? Snapshot)
{
    /// <summary>True when the change was stored (or had nothing to store).</summary>
    public bool IsSuccess => Refusal is null;

    /// <summary>An accepted change, held by <paramref name="snapshot"/>.</summary>
    public static ConfigEditResult Accepted(ConfigSnapshot snapshot) => new(null, snapshot);

    /// <summary>A refused or failed change.</summary>
    public static ConfigEditResult Refused(Refusal refusal) => new(refusal, null);
}
