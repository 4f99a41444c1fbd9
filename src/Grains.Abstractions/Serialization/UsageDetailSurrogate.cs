using CliProxy.Domain.Usage;
using Orleans.Serialization.Cloning;

namespace CliProxy.Abstractions.Serialization;

/// <summary>The wire form of <see cref="UsageDetail"/> (the timestamp travels as its RFC 3339 text, which keeps its precision).</summary>
[GenerateSerializer]
public record struct UsageDetailSurrogate(
    [property: Id(0)] string Api,
    [property: Id(1)] string Model,
    [property: Id(2)] string Timestamp,
    [property: Id(3)] string Source,
    [property: Id(4)] string AuthIndex,
    [property: Id(5)] long Input,
    [property: Id(6)] long Output,
    [property: Id(7)] long Reasoning,
    [property: Id(8)] long Cached,
    [property: Id(9)] long Total,
    [property: Id(10)] bool Failed,
    [property: Id(11)] long LatencyMs,
    [property: Id(12)] string Provider);

/// <summary>Converts <see cref="UsageDetail"/> to and from <see cref="UsageDetailSurrogate"/>.</summary>
[RegisterConverter]
public sealed class UsageDetailConverter : IConverter<UsageDetail, UsageDetailSurrogate>
{
    /// <inheritdoc />
    public UsageDetail ConvertFromSurrogate(in UsageDetailSurrogate s) =>
        new(s.Api, s.Model, UsageTimestamp.Parse(s.Timestamp), s.Source, s.AuthIndex, new UsageTokens(s.Input, s.Output, s.Reasoning, s.Cached, s.Total),
            s.Failed, s.LatencyMs, s.Provider);

    /// <inheritdoc />
    public UsageDetailSurrogate ConvertToSurrogate(in UsageDetail v) =>
        new(v.Api, v.Model, v.Timestamp.Text, v.Source, v.AuthIndex, v.Tokens.Input, v.Tokens.Output, v.Tokens.Reasoning, v.Tokens.Cached, v.Tokens.Total,
            v.Failed, v.LatencyMs, v.Provider);
}

/// <summary><see cref="UsageDetail"/> is immutable: a call within one process passes the instance itself.</summary>
[RegisterCopier]
public sealed class UsageDetailCopier : ShallowCopier<UsageDetail>;
