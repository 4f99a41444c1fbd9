namespace CliProxy.Grains;

/// <summary>Names of the grain storage providers; the host binds each to files or PostgreSQL.</summary>
public static class StorageNames
{
    /// <summary>The config document (embedded: the config.yaml file itself).</summary>
    public const string Config = "config";

    /// <summary>One credential per auth-file grain (embedded: the file in auth-dir itself).</summary>
    public const string AuthFiles = "auth-files";

    /// <summary>
    /// State name of the auth-file grains; in PostgreSQL it is the <c>grain_type</c> of their
    /// <c>orleans_storage</c> rows, which the cluster's credential catalog selects by.
    /// </summary>
    public const string AuthFileState = "auth-file";

    /// <summary>Everything else (embedded: JSON files in the data folder).</summary>
    public const string State = "state";

    /// <summary>
    /// Login sessions (embedded: JSON files in the data folder; cluster: rows deleted when a session
    /// ends, so finished logins leave nothing behind).
    /// </summary>
    public const string OAuthSessions = "oauth-sessions";

    /// <summary>State name of the login session grains.</summary>
    public const string OAuthSessionState = "oauth-session";
}
