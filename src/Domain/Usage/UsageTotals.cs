using System.Text.Json.Serialization;

namespace CliProxy.Domain.Usage;

/// <summary>
/// The aggregates of every counted record (spec §1.5 steps 5–8, §1.6): totals, per API (client key)
/// and model, and per day with the day's 24 hours. Hours are kept per day (the reference summed
/// hour-of-day over all history, spec §7 defect 5); the snapshot's <c>*_by_hour</c> maps are derived
/// by summing them. Nothing here grows with the number of records: only with the number of distinct
/// APIs, models and days. Mutable: the owner changes a <see cref="Clone"/> and swaps it in once stored.
/// Serialised as JSON (the stores' state row).
/// </summary>
public sealed class UsageTotals
{
    /// <summary>Counted records.</summary>
    [JsonPropertyName("total_requests")] public long TotalRequests { get; set; }

    /// <summary>Records not failed.</summary>
    [JsonPropertyName("success_count")] public long SuccessCount { get; set; }

    /// <summary>Failed records.</summary>
    [JsonPropertyName("failure_count")] public long FailureCount { get; set; }

    /// <summary>Sum of normalised total tokens.</summary>
    [JsonPropertyName("total_tokens")] public long TotalTokens { get; set; }

    /// <summary>Per API identity (client key or <c>"METHOD /route"</c>), ordinal order.</summary>
    [JsonPropertyName("apis")] public SortedDictionary<string, ApiTotals> Apis { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Per day <c>YYYY-MM-DD</c> (in each record's own offset), ordinal order.</summary>
    [JsonPropertyName("days")] public SortedDictionary<string, DayTotals> Days { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Counts <paramref name="detail"/> (already normalised).</summary>
    public void Add(UsageDetail detail)
    {
        var tokens = detail.Tokens.Total;
        TotalRequests++;
        if (detail.Failed) FailureCount++;
        else SuccessCount++;
        TotalTokens += tokens;
        if (!Apis.TryGetValue(detail.Api, out var api)) Apis[detail.Api] = api = new ApiTotals();
        api.TotalRequests++;
        api.TotalTokens += tokens;
        if (!api.Models.TryGetValue(detail.Model, out var model)) api.Models[detail.Model] = model = new ModelTotals();
        model.TotalRequests++;
        model.TotalTokens += tokens;
        if (!Days.TryGetValue(detail.Timestamp.Day, out var day)) Days[detail.Timestamp.Day] = day = new DayTotals();
        var hour = detail.Timestamp.Hour;
        day.Requests[hour]++;
        day.Tokens[hour] += tokens;
    }

    /// <summary>A deep copy.</summary>
    public UsageTotals Clone()
    {
        var copy = new UsageTotals { TotalRequests = TotalRequests, SuccessCount = SuccessCount, FailureCount = FailureCount, TotalTokens = TotalTokens };
        foreach (var (name, api) in Apis) copy.Apis[name] = api.Clone();
        foreach (var (name, day) in Days) copy.Days[name] = day.Clone();
        return copy;
    }

    /// <summary>Requests per hour of day <c>"00"</c>–<c>"23"</c> over all days (the §1.6 <c>requests_by_hour</c>); only hours that had a request.</summary>
    public SortedDictionary<string, long> RequestsByHour() => ByHour(d => d.Requests);

    /// <summary>Tokens per hour of day over all days (the §1.6 <c>tokens_by_hour</c>); the same hours as <see cref="RequestsByHour"/>.</summary>
    public SortedDictionary<string, long> TokensByHour() => ByHour(d => d.Tokens);

    private SortedDictionary<string, long> ByHour(Func<DayTotals, long[]> pick)
    {
        var result = new SortedDictionary<string, long>(StringComparer.Ordinal);
        for (var h = 0; h < 24; h++)
        {
            long requests = 0, sum = 0;
            foreach (var day in Days.Values)
            {
                requests += day.Requests[h];
                sum += pick(day)[h];
            }
            if (requests > 0) result[h.ToString("D2", System.Globalization.CultureInfo.InvariantCulture)] = sum;
        }
        return result;
    }
}

/// <summary>Aggregates of one API identity.</summary>
public sealed class ApiTotals
{
    /// <summary>Counted records.</summary>
    [JsonPropertyName("total_requests")] public long TotalRequests { get; set; }

    /// <summary>Sum of total tokens.</summary>
    [JsonPropertyName("total_tokens")] public long TotalTokens { get; set; }

    /// <summary>Per model, ordinal order.</summary>
    [JsonPropertyName("models")] public SortedDictionary<string, ModelTotals> Models { get; set; } = new(StringComparer.Ordinal);

    /// <summary>A deep copy.</summary>
    public ApiTotals Clone()
    {
        var copy = new ApiTotals { TotalRequests = TotalRequests, TotalTokens = TotalTokens };
        foreach (var (name, model) in Models) copy.Models[name] = new ModelTotals { TotalRequests = model.TotalRequests, TotalTokens = model.TotalTokens };
        return copy;
    }
}

/// <summary>Aggregates of one model under one API identity.</summary>
public sealed class ModelTotals
{
    /// <summary>Counted records.</summary>
    [JsonPropertyName("total_requests")] public long TotalRequests { get; set; }

    /// <summary>Sum of total tokens.</summary>
    [JsonPropertyName("total_tokens")] public long TotalTokens { get; set; }
}

/// <summary>One day: requests and tokens for each of its 24 hours (index = hour).</summary>
public sealed class DayTotals
{
    /// <summary>Requests per hour 0–23.</summary>
    [JsonPropertyName("requests")] public long[] Requests { get; set; } = new long[24];

    /// <summary>Total tokens per hour 0–23.</summary>
    [JsonPropertyName("tokens")] public long[] Tokens { get; set; } = new long[24];

    /// <summary>Requests of the day.</summary>
    public long TotalRequests() => Requests.Sum();

    /// <summary>Tokens of the day.</summary>
    public long TotalTokens() => Tokens.Sum();

    /// <summary>A deep copy.</summary>
    public DayTotals Clone() => new() { Requests = (long[])Requests.Clone(), Tokens = (long[])Tokens.Clone() };
}
