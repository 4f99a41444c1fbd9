namespace CliProxy.Domain.Config;

/// <summary>How paths written in config.yaml are resolved (relative to the file's folder, <c>~</c> expanded, as the reference does).</summary>
public static class ConfigPaths
{
    /// <summary><c>auth-dir</c> when the file sets none (the value of the reference's shipped example).</summary>
    public const string DefaultAuthDirectory = "~/.cli-proxy-api";

    /// <summary>Resolves <paramref name="value"/> (trimmed) against <paramref name="baseDir"/>, expanding a leading <c>~</c> to the home folder.</summary>
    public static string Resolve(string baseDir, string value)
    {
        value = value.Trim();
        if (value == "~" || value.StartsWith("~/", StringComparison.Ordinal))
            value = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), value.Length > 2 ? value[2..] : "");
        return Path.GetFullPath(Path.Combine(baseDir, value));
    }

    /// <summary>
    /// The credential folder of the config file at <paramref name="configPath"/> whose <c>auth-dir</c>
    /// is <paramref name="authDir"/>: relative to the file's folder, <see cref="DefaultAuthDirectory"/> when blank.
    /// </summary>
    public static string AuthDirectory(string configPath, string authDir) =>
        Resolve(Path.GetDirectoryName(Path.GetFullPath(configPath))!, authDir.Trim() is { Length: > 0 } a ? a : DefaultAuthDirectory);
}
