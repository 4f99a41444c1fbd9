namespace CliProxy.Gateway.Logging;

/// <summary>
/// Where this node keeps its logs and how it names itself in answers. One directory holds everything
/// (the application log, request logs, error logs), and the size cap and every log route use that same
/// directory: the reference resolved it in three places, differently (spec §7 defect 10). Resolved once
/// at start: <c>$WRITABLE_PATH/logs</c> when that variable is set (as the reference), else the setting
/// <c>Logs:Directory</c>, else <c>logs</c> beside config.yaml (embedded mode), else <c>logs</c> in the
/// working directory (cluster modes, which have no config file).
/// </summary>
/// <param name="Directory">Absolute path of the log directory (created on first write).</param>
/// <param name="NodeName">This node's name in the <see cref="RequestIds.NodeHeader"/> answer header.</param>
public sealed record LogLocation(string Directory, string NodeName)
{
    /// <summary>Setting of the directory (.NET configuration).</summary>
    public const string DirectoryKey = "Logs:Directory";

    /// <summary>Setting of the node's name (default: machine name and listen port, <c>host:8317</c>).</summary>
    public const string NodeNameKey = "Logs:NodeName";

    /// <summary>
    /// Resolves the location from <paramref name="settings"/> and the environment; <paramref name="configPath"/>
    /// is the embedded mode's config file (null in the cluster modes), <paramref name="port"/> the listen port.
    /// </summary>
    public static LogLocation Resolve(IConfiguration settings, string? configPath, int port)
    {
        var writable = (Environment.GetEnvironmentVariable("WRITABLE_PATH") ?? Environment.GetEnvironmentVariable("writable_path") ?? "").Trim();
        var directory = writable.Length > 0 ? Path.Combine(writable, "logs")
            : settings[DirectoryKey] is { Length: > 0 } configured ? configured
            : configPath is not null ? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(configPath))!, "logs")
            : "logs";
        var node = settings[NodeNameKey] is { Length: > 0 } name ? name.Trim() : $"{Environment.MachineName}:{port}";
        return new LogLocation(Path.GetFullPath(directory), node);
    }
}
