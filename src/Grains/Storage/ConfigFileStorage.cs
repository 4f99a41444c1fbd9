using System.Text;
using CliProxy.Abstractions.Config;
using CliProxy.Domain.Config;
using Orleans.Storage;

namespace CliProxy.Grains.Storage;

/// <summary>
/// Embedded-mode storage of the config grain: its state <em>is</em> the config file. Reads return
/// the file's text (its ETag is the content hash); writes are atomic (<see cref="AtomicFileWriter"/>)
/// and refused with <see cref="InconsistentStateException"/> when the file changed since it was
/// read (someone saved it with an editor), so no external edit is overwritten unseen.
/// The keys of changes made under an <c>Idempotency-Key</c> (<see cref="ConfigDocumentState.AppliedRequests"/>)
/// cannot live in the user's file; they go to <paramref name="requestsPath"/> (see <see cref="AppliedRequestsFile"/>).
/// </summary>
/// <param name="configPath">The config file.</param>
/// <param name="writer">Atomic file replacement.</param>
/// <param name="requestsPath">The file of the applied keys (in the data folder); null keeps none.</param>
public sealed class ConfigFileStorage(string configPath, AtomicFileWriter writer, string? requestsPath = null) : IGrainStorage
{
    private readonly AppliedRequestsFile? _requests = requestsPath is null ? null : new(requestsPath, writer);

    // Size, time stamp and ETag of the file as last read or written: while the first two are
    // unchanged the file need not be read again to know its ETag.
    private (long Length, DateTime WriteTime, string ETag)? _known;

    /// <summary>Full path of the config file.</summary>
    public string ConfigPath { get; } = Path.GetFullPath(configPath);

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var text = await StateFiles.ReadAsync(ConfigPath);
        var state = Expect(grainState);
        var requests = _requests is null ? [] : await _requests.ReadAsync(ETagOf(text));
        state.State = new ConfigDocumentState { Yaml = text, AppliedRequests = requests };
        state.ETag = ETagOf(text);
        state.RecordExists = text is not null;
        Remember(state.ETag);
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var state = Expect(grainState);
        var current = CurrentETagFromStamp() ?? ETagOf(await StateFiles.ReadAsync(ConfigPath));
        if (state.ETag is not null && state.ETag != current)
            throw new InconsistentStateException("the config file changed since it was read", current, state.ETag);
        var text = state.State?.Yaml ?? "";
        // Keys first: a crash between the two writes leaves keys whose change is not in the file, which the next read drops.
        if (_requests is not null) await _requests.WriteAsync(state.State?.AppliedRequests ?? [], current, ETagOf(text));
        await writer.WriteAsync(ConfigPath, Encoding.UTF8.GetBytes(text));
        _requests?.Committed(state.State?.AppliedRequests ?? []);
        state.ETag = ETagOf(text);
        state.RecordExists = true;
        Remember(state.ETag);
    }

    /// <inheritdoc />
    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        throw new NotSupportedException("the config file is never deleted by the server");


    private string? CurrentETagFromStamp()
    {
        var info = new FileInfo(ConfigPath);
        return info.Exists && _known is { } k && k.Length == info.Length && k.WriteTime == info.LastWriteTimeUtc ? k.ETag : null;
    }

    private void Remember(string etag)
    {
        var info = new FileInfo(ConfigPath);
        _known = info.Exists ? (info.Length, info.LastWriteTimeUtc, etag) : null;
    }

    private static string ETagOf(string? text) => text is null ? "missing" : ConfigETag.Of(text);

    private static IGrainState<ConfigDocumentState> Expect<T>(IGrainState<T> state) =>
        state as IGrainState<ConfigDocumentState> ?? throw new InvalidOperationException($"{nameof(ConfigFileStorage)} stores only {nameof(ConfigDocumentState)}");
}
