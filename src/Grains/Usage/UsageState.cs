using System.Text.Json;
using System.Text.Json.Serialization;
using CliProxy.Domain.Usage;

namespace CliProxy.Grains.Usage;

/// <summary>
/// The usage grain's stored state: the aggregates, and per sending node the last batch it applied
/// (so a batch sent again after an unknown outcome is counted once). Stored as one JSON row, written
/// in the same transaction as the batch's details.
/// </summary>
public sealed class UsageState
{
    /// <summary>How long a node's last sequence is remembered after its last batch (a node that is gone sends no more).</summary>
    public static readonly TimeSpan AppliedRetention = TimeSpan.FromDays(7);

    /// <summary>The aggregates.</summary>
    [JsonPropertyName("totals")] public UsageTotals Totals { get; set; } = new();

    /// <summary>Per node id: its last applied batch.</summary>
    [JsonPropertyName("applied")] public Dictionary<Guid, AppliedBatch> Applied { get; set; } = [];

    /// <summary>A copy to change (the stored one stays as it is until the change is stored).</summary>
    public UsageState Clone() => new() { Totals = Totals.Clone(), Applied = new Dictionary<Guid, AppliedBatch>(Applied) };

    /// <summary>Records that <paramref name="node"/> applied <paramref name="sequence"/> at <paramref name="now"/>, forgetting nodes silent for <see cref="AppliedRetention"/>.</summary>
    public void MarkApplied(Guid node, long sequence, DateTimeOffset now)
    {
        Applied[node] = new AppliedBatch(sequence, now.ToUnixTimeMilliseconds());
        var cutoff = (now - AppliedRetention).ToUnixTimeMilliseconds();
        foreach (var gone in Applied.Where(a => a.Value.At < cutoff).Select(a => a.Key).ToList()) Applied.Remove(gone);
    }

    /// <summary>The state as its JSON row.</summary>
    public string ToJson() => JsonSerializer.Serialize(this);

    /// <summary>Reads a JSON row (an empty state for null).</summary>
    public static UsageState FromJson(string? json) => json is null ? new UsageState() : JsonSerializer.Deserialize<UsageState>(json) ?? new UsageState();
}

/// <summary>The last batch one node applied.</summary>
/// <param name="Sequence">Its sequence number.</param>
/// <param name="At">When, Unix milliseconds.</param>
public sealed record AppliedBatch([property: JsonPropertyName("sequence")] long Sequence, [property: JsonPropertyName("at")] long At);
