using CliProxy.Domain.Proxy.Activity;

namespace CliProxy.Abstractions.Serialization;

/// <summary>The wire form of <see cref="ActivityCount"/>, a domain type that knows nothing of Orleans.</summary>
[GenerateSerializer]
public record struct ActivityCountSurrogate([property: Id(0)] long Bucket, [property: Id(1)] long Success, [property: Id(2)] long Failed);

/// <summary>Converts <see cref="ActivityCount"/> to and from <see cref="ActivityCountSurrogate"/>.</summary>
[RegisterConverter]
public sealed class ActivityCountConverter : IConverter<ActivityCount, ActivityCountSurrogate>
{
    /// <inheritdoc />
    public ActivityCount ConvertFromSurrogate(in ActivityCountSurrogate s) => new(s.Bucket, s.Success, s.Failed);

    /// <inheritdoc />
    public ActivityCountSurrogate ConvertToSurrogate(in ActivityCount v) => new(v.Bucket, v.Success, v.Failed);
}

/// <summary>The wire form of <see cref="CredentialActivity"/>.</summary>
[GenerateSerializer]
public record struct CredentialActivitySurrogate(
    [property: Id(0)] string CredentialId,
    [property: Id(1)] long Success,
    [property: Id(2)] long Failed,
    [property: Id(3)] ActivityCount[] Recent);

/// <summary>Converts <see cref="CredentialActivity"/> to and from <see cref="CredentialActivitySurrogate"/>.</summary>
[RegisterConverter]
public sealed class CredentialActivityConverter : IConverter<CredentialActivity, CredentialActivitySurrogate>
{
    /// <inheritdoc />
    public CredentialActivity ConvertFromSurrogate(in CredentialActivitySurrogate s) => new(s.CredentialId, s.Success, s.Failed, s.Recent);

    /// <inheritdoc />
    public CredentialActivitySurrogate ConvertToSurrogate(in CredentialActivity v) => new(v.CredentialId, v.Success, v.Failed, [.. v.Recent]);
}
