using System.Text;
using System.Text.Json;
using CliProxy.Domain.Config;
using Orleans.Storage;

namespace CliProxy.Grains.Storage;

/// <summary>
/// Embedded-mode storage for grain state other than the config document: one readable JSON file
/// per grain at <c>&lt;data folder&gt;/&lt;state name&gt;/&lt;escaped grain key&gt;.json</c>, written atomically.
/// The ETag is the content hash; a write with a stale ETag throws
/// <see cref="InconsistentStateException"/>.
/// </summary>
public sealed class JsonFileGrainStorage(string dataDirectory, AtomicFileWriter writer) : IGrainStorage
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var text = await StateFiles.ReadAsync(PathOf(stateName, grainId));
        grainState.State = text is null ? Activator.CreateInstance<T>() : JsonSerializer.Deserialize<T>(text, Json)!;
        grainState.ETag = StateFiles.ETagOf(text);
        grainState.RecordExists = text is not null;
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        await StateFiles.CheckETagAsync(path, grainState.ETag);
        var text = JsonSerializer.Serialize(grainState.State, Json);
        await writer.WriteAsync(path, Encoding.UTF8.GetBytes(text));
        grainState.ETag = ConfigETag.Of(text);
        grainState.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(stateName, grainId);
        await StateFiles.CheckETagAsync(path, grainState.ETag);
        File.Delete(path);
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = null;
        grainState.RecordExists = false;
    }


    private string PathOf(string stateName, GrainId grainId) =>
        Path.Combine(dataDirectory, Escape(stateName), Escape(grainId.Key.ToString()!) + ".json");

    /// <summary>Keeps letters, digits, '-', '_' and '.'; everything else becomes %XX (UTF-8), so any key is a safe file name.</summary>
    private static string Escape(string key)
    {
        var sb = new StringBuilder(key.Length);
        foreach (var b in Encoding.UTF8.GetBytes(key))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' || (c == '.' && sb.Length > 0)) sb.Append(c);
            else sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }

}
