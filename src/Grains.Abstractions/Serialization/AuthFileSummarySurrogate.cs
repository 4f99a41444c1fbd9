using CliProxy.Domain.AuthFiles;
using Orleans.Serialization.Cloning;

namespace CliProxy.Abstractions.Serialization;

/// <summary>
/// The wire form of <see cref="AuthFileSummary"/>, a domain type that knows nothing of Orleans (the
/// field ids are those the record carried when it was a contract type, so the wire format is unchanged;
/// <see cref="ExcludedModels"/>, <see cref="DisableCooling"/> and <see cref="RequestRetry"/> came later: a sender without them
/// reads as no patterns and no overrides).
/// </summary>
[GenerateSerializer]
public record struct AuthFileSummarySurrogate(
    [property: Id(0)] string Name,
    [property: Id(1)] string AuthIndex,
    [property: Id(2)] string Provider,
    [property: Id(3)] string Label,
    [property: Id(4)] string Email,
    [property: Id(5)] string Status,
    [property: Id(6)] string StatusMessage,
    [property: Id(7)] bool Disabled,
    [property: Id(8)] long Size,
    [property: Id(9)] DateTimeOffset CreatedAt,
    [property: Id(10)] DateTimeOffset UpdatedAt,
    [property: Id(11)] DateTimeOffset? LastRefresh,
    [property: Id(12)] string Prefix,
    [property: Id(13)] string ProxyUrl,
    [property: Id(14)] long? Priority,
    [property: Id(15)] string Note,
    [property: Id(16)] string ProjectId,
    [property: Id(17)] string? IdTokenClaims,
    [property: Id(18)] string[]? ExcludedModels,
    [property: Id(19)] bool? DisableCooling,
    [property: Id(20)] int? RequestRetry);

/// <summary>Converts <see cref="AuthFileSummary"/> to and from <see cref="AuthFileSummarySurrogate"/>.</summary>
[RegisterConverter]
public sealed class AuthFileSummaryConverter : IConverter<AuthFileSummary, AuthFileSummarySurrogate>
{
    /// <inheritdoc />
    public AuthFileSummary ConvertFromSurrogate(in AuthFileSummarySurrogate s) => new(s.Name, s.AuthIndex, s.Provider, s.Label, s.Email,
        s.Status, s.StatusMessage, s.Disabled, s.Size, s.CreatedAt, s.UpdatedAt, s.LastRefresh, s.Prefix, s.ProxyUrl, s.Priority, s.Note,
        s.ProjectId, s.IdTokenClaims, s.ExcludedModels is { } excluded ? ModelPatterns.Of(excluded) : null, s.DisableCooling, s.RequestRetry);

    /// <inheritdoc />
    public AuthFileSummarySurrogate ConvertToSurrogate(in AuthFileSummary v) => new(v.Name, v.AuthIndex, v.Provider, v.Label, v.Email,
        v.Status, v.StatusMessage, v.Disabled, v.Size, v.CreatedAt, v.UpdatedAt, v.LastRefresh, v.Prefix, v.ProxyUrl, v.Priority, v.Note,
        v.ProjectId, v.IdTokenClaims, v.ExcludedModels.Patterns.IsEmpty ? null : [.. v.ExcludedModels.Patterns], v.DisableCooling, v.RequestRetry);
}

/// <summary>
/// <see cref="AuthFileSummary"/> is immutable, so a call within one process passes the instance itself
/// instead of a copy (what <c>[Immutable]</c> did on the contract type): a list of 10,000 summaries is
/// handed over without 10,000 copies.
/// </summary>
[RegisterCopier]
public sealed class AuthFileSummaryCopier : ShallowCopier<AuthFileSummary>;
