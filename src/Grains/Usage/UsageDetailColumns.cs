using System.Data.Common;
using CliProxy.Domain.Usage;

namespace CliProxy.Grains.Usage;

/// <summary>The detail columns both stores share, in the order their queries select them.</summary>
internal static class UsageDetailColumns
{
    /// <summary>The select list (after <c>id</c>).</summary>
    public const string Select =
        "api, model, timestamp_text, source, auth_index, input_tokens, output_tokens, reasoning_tokens, cached_tokens, total_tokens, failed, latency_ms, provider";

    /// <summary>Reads a detail whose columns start at <paramref name="first"/> in <see cref="Select"/> order.</summary>
    public static UsageDetail Read(DbDataReader r, int first) => new(
        r.GetString(first), r.GetString(first + 1), UsageTimestamp.Parse(r.GetString(first + 2)), r.GetString(first + 3), r.GetString(first + 4),
        new UsageTokens(r.GetInt64(first + 5), r.GetInt64(first + 6), r.GetInt64(first + 7), r.GetInt64(first + 8), r.GetInt64(first + 9)),
        r.GetBoolean(first + 10), r.GetInt64(first + 11), r.GetString(first + 12));
}
