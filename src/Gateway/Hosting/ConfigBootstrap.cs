using System.Security.Cryptography;
using System.Text;
using CliProxy.Domain.Config;
using CliProxy.Grains.Storage;

namespace CliProxy.Gateway.Hosting;

/// <summary>
/// Start-up view of the config file: where it is (created from the shipped template with a fresh
/// management key when missing), whether it loads, and the settings the host needs before any
/// grain runs: listen address, TLS, auth and data folders.
/// </summary>
/// <param name="ConfigPath">Full path of config.yaml.</param>
/// <param name="Host">Listen host (<c>""</c> = all interfaces).</param>
/// <param name="Port">Listen port (8317 when absent or 0).</param>
/// <param name="AuthDirectory">Resolved <c>auth-dir</c> (relative to the config folder, <c>~</c> expanded).</param>
/// <param name="DataDirectory">Folder for grain state other than the config (setting <c>Storage:DataDirectory</c>).</param>
/// <param name="Tls">Certificate and key files when <c>tls.enable</c> is true.</param>
/// <param name="GeneratedKey">The management key of a config created just now (shown once), else null.</param>
public sealed record ConfigBootstrap(string ConfigPath, string Host, int Port, string AuthDirectory, string DataDirectory,
    (string Cert, string Key)? Tls, string? GeneratedKey)
{
    /// <summary>Port used when the file sets none.</summary>
    public const int DefaultPort = 8317;

    /// <summary>How the gateway serves in the embedded mode.</summary>
    public GatewayHost ToGatewayHost() => new(Host, Port, Tls, AuthDirectory,
        Endpoints.ControlPanelEndpoints.ResolvePanelPath(ConfigPath, Environment.GetEnvironmentVariable("MANAGEMENT_STATIC_PATH")),
        $"embedded (config {ConfigPath}, auth-dir {AuthDirectory}, data {DataDirectory})");

    /// <summary>
    /// Prepares <paramref name="configPath"/> (default <c>./config.yaml</c>). Throws
    /// <see cref="ConfigLoadException"/> when the file does not load.
    /// </summary>
    public static async Task<ConfigBootstrap> PrepareAsync(string? configPath, IConfiguration settings, CancellationToken cancellationToken = default)
    {
        var path = Path.GetFullPath(configPath ?? "config.yaml");
        string? generated = null;
        if (!File.Exists(path))
        {
            generated = NewKey();
            await new AtomicFileWriter().WriteAsync(path, Encoding.UTF8.GetBytes(Template(generated)), cancellationToken);
        }
        var config = ConfigDocument.Load(await File.ReadAllTextAsync(path, cancellationToken)).Settings;
        var dir = Path.GetDirectoryName(path)!;
        var tls = config.Tls.Enable
            ? (ConfigPaths.Resolve(dir, config.Tls.Cert), ConfigPaths.Resolve(dir, config.Tls.Key))
            : ((string, string)?)null;
        return new ConfigBootstrap(
            path,
            config.Host.Trim(),
            config.Port > 0 ? config.Port : DefaultPort,
            ConfigPaths.AuthDirectory(path, config.AuthDir),
            settings["Storage:DataDirectory"] is { Length: > 0 } d ? ConfigPaths.Resolve(dir, d) : Path.Combine(dir, "data"),
            tls,
            generated);
    }

    private static string Template(string key)
    {
        using var stream = typeof(ConfigBootstrap).Assembly.GetManifestResourceStream("config.template.yaml")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("{{SECRET_HASH}}", BCrypt.Net.BCrypt.HashPassword(key, workFactor: 10));
    }

    private static string NewKey() => "mk-" + Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_').TrimEnd('=');
}
