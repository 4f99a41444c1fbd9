using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace CliProxy.Domain.Usage;

/// <summary>
/// Writes the §1.6 snapshot JSON in steps (start, each API, each model, its details, end), so that
/// the same code renders <c>GET /usage</c> from memory and streams <c>GET /usage/export</c> from the
/// store one page of details at a time. Map keys are in ordinal order; each detail is
/// <c>{timestamp, source, auth_index, tokens, failed, latency_ms}</c> (<c>latency_ms</c> is the later
/// reference's field, spec §1.6, which importers ignore when unknown).
/// </summary>
public static class UsageJson
{
    /// <summary>Writer options: compact, non-ASCII as is.</summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, SkipValidation = false };

    /// <summary>Opens the snapshot object: the four totals and the start of <c>apis</c>.</summary>
    public static void WriteStart(Utf8JsonWriter w, UsageTotals totals)
    {
        w.WriteStartObject();
        w.WriteNumber("total_requests", totals.TotalRequests);
        w.WriteNumber("success_count", totals.SuccessCount);
        w.WriteNumber("failure_count", totals.FailureCount);
        w.WriteNumber("total_tokens", totals.TotalTokens);
        w.WriteStartObject("apis");
    }

    /// <summary>Opens one API entry and its <c>models</c>.</summary>
    public static void WriteApiStart(Utf8JsonWriter w, string name, ApiTotals api)
    {
        w.WriteStartObject(name);
        w.WriteNumber("total_requests", api.TotalRequests);
        w.WriteNumber("total_tokens", api.TotalTokens);
        w.WriteStartObject("models");
    }

    /// <summary>Opens one model entry and its <c>details</c> array.</summary>
    public static void WriteModelStart(Utf8JsonWriter w, string name, ModelTotals model)
    {
        w.WriteStartObject(name);
        w.WriteNumber("total_requests", model.TotalRequests);
        w.WriteNumber("total_tokens", model.TotalTokens);
        w.WriteStartArray("details");
    }

    /// <summary>One element of <c>details</c>.</summary>
    public static void WriteDetail(Utf8JsonWriter w, UsageDetail d)
    {
        w.WriteStartObject();
        w.WriteString("timestamp", d.Timestamp.Text);
        w.WriteString("source", d.Source);
        w.WriteString("auth_index", d.AuthIndex);
        w.WriteStartObject("tokens");
        w.WriteNumber("input_tokens", d.Tokens.Input);
        w.WriteNumber("output_tokens", d.Tokens.Output);
        w.WriteNumber("reasoning_tokens", d.Tokens.Reasoning);
        w.WriteNumber("cached_tokens", d.Tokens.Cached);
        w.WriteNumber("total_tokens", d.Tokens.Total);
        w.WriteEndObject();
        w.WriteBoolean("failed", d.Failed);
        w.WriteNumber("latency_ms", d.LatencyMs);
        w.WriteEndObject();
    }

    /// <summary>Closes a model entry.</summary>
    public static void WriteModelEnd(Utf8JsonWriter w)
    {
        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Closes an API entry.</summary>
    public static void WriteApiEnd(Utf8JsonWriter w)
    {
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>Closes <c>apis</c>, writes the four bucket maps (always present, <c>{}</c> when empty) and closes the snapshot.</summary>
    public static void WriteEnd(Utf8JsonWriter w, UsageTotals totals)
    {
        w.WriteEndObject();
        w.WriteStartObject("requests_by_day");
        foreach (var (day, t) in totals.Days) w.WriteNumber(day, t.TotalRequests());
        w.WriteEndObject();
        WriteMap(w, "requests_by_hour", totals.RequestsByHour());
        w.WriteStartObject("tokens_by_day");
        foreach (var (day, t) in totals.Days) w.WriteNumber(day, t.TotalTokens());
        w.WriteEndObject();
        WriteMap(w, "tokens_by_hour", totals.TokensByHour());
        w.WriteEndObject();
    }

    /// <summary>
    /// The whole snapshot with <paramref name="details"/> (any subset of the stored details, in arrival
    /// order) under their API and model; every API and model of <paramref name="totals"/> appears,
    /// with <c>details: []</c> when none of its details is in the subset.
    /// </summary>
    public static void WriteSnapshot(Utf8JsonWriter w, UsageTotals totals, IEnumerable<UsageDetail> details)
    {
        var byModel = details.GroupBy(d => (d.Api, d.Model)).ToDictionary(g => g.Key, g => g.ToList());
        WriteStart(w, totals);
        foreach (var (apiName, api) in totals.Apis)
        {
            WriteApiStart(w, apiName, api);
            foreach (var (modelName, model) in api.Models)
            {
                WriteModelStart(w, modelName, model);
                if (byModel.TryGetValue((apiName, modelName), out var list))
                    foreach (var d in list) WriteDetail(w, d);
                WriteModelEnd(w);
            }
            WriteApiEnd(w);
        }
        WriteEnd(w, totals);
    }

    /// <summary><see cref="WriteSnapshot"/> as UTF-8 bytes.</summary>
    public static byte[] Snapshot(UsageTotals totals, IEnumerable<UsageDetail> details)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions)) WriteSnapshot(w, totals, details);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>
    /// The per-day hours that the §1.6 shape sums away:
    /// <c>{"requests_by_day_hour":{"YYYY-MM-DD":{"HH":n}},"tokens_by_day_hour":{…}}</c>, hours without requests left out.
    /// </summary>
    public static byte[] DayHours(UsageTotals totals)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            foreach (var (name, pick) in new (string, Func<DayTotals, long[]>)[] { ("requests_by_day_hour", d => d.Requests), ("tokens_by_day_hour", d => d.Tokens) })
            {
                w.WriteStartObject(name);
                foreach (var (day, t) in totals.Days)
                {
                    w.WriteStartObject(day);
                    for (var h = 0; h < 24; h++)
                        if (t.Requests[h] > 0) w.WriteNumber(h.ToString("D2", System.Globalization.CultureInfo.InvariantCulture), pick(t)[h]);
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteMap(Utf8JsonWriter w, string name, SortedDictionary<string, long> map)
    {
        w.WriteStartObject(name);
        foreach (var (k, v) in map) w.WriteNumber(k, v);
        w.WriteEndObject();
    }
}
