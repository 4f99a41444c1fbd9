using CliProxy.Domain.Errors;
using Orleans.Serialization.Cloning;

namespace CliProxy.Abstractions.Serialization;

/// <summary>The wire form of <see cref="Refusal"/>, a domain type that knows nothing of Orleans.</summary>
/// <param name="Kind"><see cref="Refusal.Kind"/> as its number (the enum lives in the Orleans-free domain library).</param>
/// <param name="Error"><see cref="Refusal.Error"/>.</param>
/// <param name="Message"><see cref="Refusal.Message"/>.</param>
[GenerateSerializer]
public record struct RefusalSurrogate(
    [property: Id(0)] int Kind,
    [property: Id(1)] string Error,
    [property: Id(2)] string? Message);

/// <summary>Converts <see cref="Refusal"/> to and from <see cref="RefusalSurrogate"/>.</summary>
[RegisterConverter]
public sealed class RefusalConverter : IConverter<Refusal, RefusalSurrogate>
{
    /// <inheritdoc />
    public Refusal ConvertFromSurrogate(in RefusalSurrogate s) => new((RefusalKind)s.Kind, s.Error, s.Message);

    /// <inheritdoc />
    public RefusalSurrogate ConvertToSurrogate(in Refusal v) => new((int)v.Kind, v.Error, v.Message);
}

/// <summary><see cref="Refusal"/> is immutable: a call within one process passes the instance itself.</summary>
[RegisterCopier]
public sealed class RefusalCopier : ShallowCopier<Refusal>;
