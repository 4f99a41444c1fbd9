using CliProxy.Abstractions.AuthFiles;
using CliProxy.Grains.AuthFiles;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace CliProxy.Grains.Storage;

/// <summary>
/// Embedded-mode storage of the auth-file index: the folder is the truth, so reading the index
/// adopts every <c>*.json</c> file directly inside <c>auth-dir</c> with its content unchanged (an
/// existing CLIProxyAPI folder just works; only permissions wider than 0600 are narrowed) and
/// writing stores nothing.
/// </summary>
public sealed class AuthIndexStorage(string authDirectory, ILogger<AuthIndexStorage> logger) : IGrainStorage
{
    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var index = new AuthFileIndexState();
        if (Directory.Exists(authDirectory))
        {
            foreach (var path in Directory.EnumerateFiles(authDirectory))
            {
                var name = Path.GetFileName(path);
                if (AuthFileName.Validate(name, out _) is not null)
                {
                    if (name.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) logger.LogWarning("Ignoring credential file with an unusable name: {Name}", name);
                    continue;
                }
                Restrict(path);
                var text = await File.ReadAllTextAsync(path);
                if (JsonText.ParseObject(text) is null)
                {
                    logger.LogWarning("Ignoring {Name}: not a JSON object", name);
                    continue;
                }
                var time = new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
                index.Files[name] = AuthFileSummaries.Build(name, text, time, time);
            }
        }
        ((IGrainState<AuthFileIndexState>)grainState).State = index;
        grainState.RecordExists = true;
    }

    /// <summary>Credentials are secrets: an adopted file readable by others is narrowed to 0600 (spec defect 19).</summary>
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

    /// <inheritdoc />
    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Task.CompletedTask;
}
