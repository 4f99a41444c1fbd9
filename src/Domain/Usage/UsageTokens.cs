namespace CliProxy.Domain.Usage;

/// <summary>The token breakdown of one usage record (spec §1.3, §1.4); all counts are 64-bit.</summary>
/// <param name="Input">Prompt / input tokens.</param>
/// <param name="Output">Completion / output tokens.</param>
/// <param name="Reasoning">Reasoning ("thinking") tokens.</param>
/// <param name="Cached">Cached prompt tokens.</param>
/// <param name="Total">Total as the upstream reported it (0 when it did not).</param>
public readonly record struct UsageTokens(long Input, long Output, long Reasoning, long Cached, long Total)
{
    /// <summary>
    /// The counts as stored and counted: a negative count becomes 0 (the reference clamped only some
    /// sums of imported totals, spec §7 defect 7); a zero total becomes
    /// <c>input + output + reasoning</c>, and if that is 0 too, that plus <c>cached</c> (spec §1.4).
    /// A non-zero total is kept even when it disagrees with the parts.
    /// </summary>
    public UsageTokens Normalized()
    {
        var (i, o, r, c, t) = (Math.Max(0, Input), Math.Max(0, Output), Math.Max(0, Reasoning), Math.Max(0, Cached), Math.Max(0, Total));
        if (t == 0) t = i + o + r;
        if (t == 0) t = i + o + r + c;
        return new UsageTokens(i, o, r, c, t);
    }
}
