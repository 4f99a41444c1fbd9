using CliProxy.Domain.AuthFiles;
using CliProxy.Grains.Storage;
using Microsoft.Extensions.Logging;

namespace CliProxy.Grains.AuthFiles;

/// <summary>
/// Embedded mode: the credentials are the <c>*.json</c> files directly inside <c>auth-dir</c>,
/// adopted with their content unchanged (an existing CLIProxyAPI folder just works; only
/// permissions wider than 0600 are narrowed; files that are not JSON objects are skipped). The
/// folder watcher keeps the index current, so no periodic reconcile is needed.
/// </summary>
public sealed class DirectoryAuthCatalog(string authDirectory, ILogger<DirectoryAuthCatalog> logger) : IAuthFileCatalog
{
    /// <inheritdoc />
    public TimeSpan? ReconcileEvery => null;

    /// <inheritdoc />
    public async Task<Dictionary<string, AuthFileSummary>> LoadAsync(CancellationToken cancellationToken = default)
    {
        var files = new Dictionary<string, AuthFileSummary>(StringComparer.Ordinal);
        if (!Directory.Exists(authDirectory)) return files;
        foreach (var path in Directory.EnumerateFiles(authDirectory))
        {
            var name = Path.GetFileName(path);
            if (AuthFileName.Validate(name, out _) is not null)
            {
                if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) logger.LogWarning("Ignoring credential file with an unusable name: {Name}", name);
                continue;
            }
            Restrict(path);
            string text;
            try
            {
                text = await File.ReadAllTextAsync(path, cancellationToken);
            }
            catch (FileNotFoundException)
            {
                continue; // deleted since the folder was listed
            }
            if (JsonText.ParseObject(text) is not { } obj)
            {
                logger.LogWarning("Ignoring {Name}: not a JSON object", name);
                continue;
            }
            var time = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
            files[name] = AuthFileSummaries.Build(name, text, obj, time, time);
        }
        return files;
    }

    /// <summary>Credentials are secrets: an adopted file readable by others is narrowed to 0600 (the reference wrote credentials readable by others).</summary>
    private void Restrict(string path)
    {
        if (OperatingSystem.IsWindows()) return;
        try
        {
            if ((File.GetUnixFileMode(path) & ~AuthFileStorage.FileMode) == 0) return;
            File.SetUnixFileMode(path, AuthFileStorage.FileMode);
            logger.LogInformation("Restricted {Name} to mode 0600", Path.GetFileName(path));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            logger.LogWarning("Could not restrict {Name} to mode 0600: {Error}", Path.GetFileName(path), e.Message);
        }
    }
}
