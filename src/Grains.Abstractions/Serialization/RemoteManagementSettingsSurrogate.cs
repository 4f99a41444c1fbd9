using CliProxy.Domain.Config.Settings;
using Orleans.Serialization.Cloning;

namespace CliProxy.Abstractions.Serialization;

/// <summary>
/// The wire form of <see cref="RemoteManagementSettings"/>, a domain type that knows nothing of Orleans
/// (ids 0–2 are those of the contract record it replaced).
/// </summary>
[GenerateSerializer]
public record struct RemoteManagementSettingsSurrogate(
    [property: Id(0)] string SecretKey,
    [property: Id(1)] bool AllowRemote,
    [property: Id(2)] bool DisableControlPanel,
    [property: Id(3)] string PanelGitHubRepository);

/// <summary>Converts <see cref="RemoteManagementSettings"/> to and from <see cref="RemoteManagementSettingsSurrogate"/>.</summary>
[RegisterConverter]
public sealed class RemoteManagementSettingsConverter : IConverter<RemoteManagementSettings, RemoteManagementSettingsSurrogate>
{
    /// <inheritdoc />
    public RemoteManagementSettings ConvertFromSurrogate(in RemoteManagementSettingsSurrogate s) =>
        new(s.AllowRemote, s.SecretKey, s.DisableControlPanel, s.PanelGitHubRepository);

    /// <inheritdoc />
    public RemoteManagementSettingsSurrogate ConvertToSurrogate(in RemoteManagementSettings v) =>
        new(v.SecretKey, v.AllowRemote, v.DisableControlPanel, v.PanelGitHubRepository);
}

/// <summary><see cref="RemoteManagementSettings"/> is immutable: a call within one process passes the instance itself.</summary>
[RegisterCopier]
public sealed class RemoteManagementSettingsCopier : ShallowCopier<RemoteManagementSettings>;
