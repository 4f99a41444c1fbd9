namespace CliProxy.Abstractions.Config;

/// <summary>
/// Outcome of a change sent to the config grain: an HTTP status, the reference's error body when the
/// change was refused, and the snapshot that holds the change when it was accepted and stored.
/// </summary>
/// <param name="Status">HTTP status to answer (200 on success).</param>
/// <param name="Error">Error code or message (<c>{"error": ...}</c>), null on success.</param>
/// <param name="Message">Detail for routes whose errors have the <c>{"error","message"}</c> shape, else null.</param>
/// <param name="Snapshot">The stored document after the change (null when refused).</param>
[GenerateSerializer, Immutable]
public sealed record ConfigEditResult(
    [property: Id(0)] int Status,
    [property: Id(1)] string? Error,
    [property: Id(2)] string? Message,
    [property: Id(3)] ConfigSnapshot? Snapshot)
{
    /// <summary>True for a 2xx status.</summary>
    public bool IsSuccess => Status is >= 200 and < 300;
}
