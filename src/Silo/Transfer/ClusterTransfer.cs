using System.Text;
using CliProxy.Abstractions.AuthFiles;
using CliProxy.Abstractions.Config;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Config;
using CliProxy.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CliProxy.Silo.Transfer;

/// <summary>
/// Moves a CLIProxyAPI installation into and out of a cluster: the config.yaml text (stored
/// verbatim, comments included; a plaintext secret is replaced by its hash as on any start) and
/// every credential file of its auth folder, byte for byte. Export writes the same layout:
/// <c>config.yaml</c> and the auth folder the config names (relative to it; an absolute or
/// <c>~</c> folder is written as <c>auths/</c> next to it).
/// </summary>
public sealed class ClusterTransfer(IGrainFactory grains, ILogger logger)
{
    /// <summary>True when the cluster has no config document yet (a new database).</summary>
    public async Task<bool> IsEmptyAsync() => (await grains.GetGrain<IConfigGrain>(ConfigGrainKeys.Default).GetSnapshot()).Yaml.Length == 0;

    /// <summary>
    /// Imports <paramref name="configPath"/> and the credentials of <paramref name="authDirectory"/>
    /// (default: the config's <c>auth-dir</c>, relative to the config file). Throws on the first refusal, naming
    /// its kind (a call that failed for a transient reason was already sent again, see the grain interfaces).
    /// </summary>
    public async Task ImportAsync(string configPath, string? authDirectory, CancellationToken cancellationToken = default)
    {
        var text = await File.ReadAllTextAsync(configPath, cancellationToken);
        var result = await grains.GetGrain<IConfigGrain>(ConfigGrainKeys.Default).ReplaceDocument(text, null);
        if (result.Refusal is { } refusal) throw new InvalidOperationException($"config refused ({refusal})");
        authDirectory ??= ConfigPaths.AuthDirectory(configPath, ConfigDocument.Load(text).Settings.AuthDir);
        var count = 0;
        if (Directory.Exists(authDirectory))
        {
            foreach (var path in Directory.EnumerateFiles(authDirectory).Order(StringComparer.Ordinal))
            {
                var name = Path.GetFileName(path);
                if (AuthFileName.Validate(name, out _) is not null) continue;
                var stored = await grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(name)).Replace(await File.ReadAllTextAsync(path, cancellationToken));
                if (stored.Refusal is { } refused) throw new InvalidOperationException($"{name} refused ({refused})");
                count++;
            }
        }
        logger.LogInformation("Imported {Config} and {Count} credentials from {AuthDir}", configPath, count, authDirectory);
    }

    /// <summary>Writes the cluster's config and credentials below <paramref name="outputDirectory"/>.</summary>
    public async Task ExportAsync(string outputDirectory, CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(outputDirectory);
        var snapshot = await grains.GetGrain<IConfigGrain>(ConfigGrainKeys.Default).GetSnapshot();
        var configPath = Path.Combine(outputDirectory, "config.yaml");
        // It holds the secret's hash and the client keys: owner-only, like the credentials.
        var writer = new AtomicFileWriter();
        await writer.WriteAsync(configPath, Encoding.UTF8.GetBytes(snapshot.Yaml), cancellationToken, AtomicFileWriter.NewFileMode);
        var authDir = ConfigDocument.LoadStored(snapshot.Yaml, out _).Settings.AuthDir.Trim();
        var target = authDir.Length == 0 || authDir.StartsWith('~') || Path.IsPathRooted(authDir)
            ? Path.Combine(outputDirectory, "auths")
            : Path.GetFullPath(Path.Combine(outputDirectory, authDir));
        Directory.CreateDirectory(target);
        var files = await grains.GetGrain<IAuthFileIndexGrain>(AuthFileKeys.Index).List();
        foreach (var summary in files)
        {
            if (await grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(summary.Name)).Get() is not { } content) continue;
            var path = AuthFileName.PathIn(target, summary.Name);
            await writer.WriteAsync(path, Encoding.UTF8.GetBytes(content.Json), cancellationToken, AtomicFileWriter.NewFileMode);
        }
        logger.LogInformation("Exported config and {Count} credentials to {Output}", files.Length, outputDirectory);
    }
}
