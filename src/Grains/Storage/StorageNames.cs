namespace CliProxy.Grains;

/// <summary>Names of the grain storage providers; the host binds each to files or PostgreSQL.</summary>
public static class StorageNames
{
    /// <summary>The config document (embedded: the config.yaml file itself).</summary>
    public const string Config = "config";

    /// <summary>One credential per auth-file grain (embedded: the file in auth-dir itself).</summary>
    public const string AuthFiles = "auth-files";

    /// <summary>Everything else (embedded: JSON files in the data folder).</summary>
    public const string State = "state";
}
