using CliProxy.Gateway.ConfigCache;

namespace CliProxy.Gateway.Management;

/// <summary>
/// Whether the management routes answer at all: only while some secret exists — a
/// <c>secret-key</c> in the config, <c>MANAGEMENT_PASSWORD</c>, or a local password (the reference
/// forgets the local password here). Otherwise every route answers 404: with the
/// router's text body if the routes were never available in this process, with an empty body if
/// they were and the secret was removed since.
/// </summary>
public sealed class ManagementAvailability(ManagementSecrets secrets)
{
    private volatile bool _everEnabled;

    /// <summary>True once the routes were available in this process.</summary>
    public bool EverEnabled => _everEnabled;

    /// <summary>True when the routes are available under <paramref name="config"/>.</summary>
    public bool IsEnabled(ConfigView config)
    {
        var enabled = config.SecretHash.Length > 0 || secrets.EnvironmentSecret.Length > 0 || secrets.LocalPassword.Length > 0;
        if (enabled) _everEnabled = true;
        return enabled;
    }
}
