using System.Text;
using CliProxy.Abstractions.AuthFiles;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Config;
using Orleans.Storage;

namespace CliProxy.Grains.Storage;

/// <summary>
/// Embedded-mode storage of auth-file grains: a grain's state <em>is</em> its file in
/// <c>auth-dir</c>. Reads take the file's text and times; writes replace it atomically with mode
/// 0600 (creating the folder), refusing with <see cref="InconsistentStateException"/> when the
/// file changed since it was read; clearing deletes the file.
/// </summary>
public sealed class AuthFileStorage(string authDirectory, AtomicFileWriter writer) : IGrainStorage
{
    /// <summary>Permission bits of every stored credential.</summary>
    public const UnixFileMode FileMode = AtomicFileWriter.NewFileMode;

    /// <inheritdoc />
    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(grainId);
        var text = await StateFiles.ReadAsync(path);
        var state = Expect(grainState);
        var time = text is null ? (DateTimeOffset?)null : new DateTimeOffset(File.GetLastWriteTimeUtc(path), TimeSpan.Zero);
        state.State = new AuthFileState { Json = text, CreatedAt = time, UpdatedAt = time };
        state.ETag = StateFiles.ETagOf(text);
        state.RecordExists = text is not null;
    }

    /// <inheritdoc />
    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var state = Expect(grainState);
        var path = PathOf(grainId);
        await StateFiles.CheckETagAsync(path, state.ETag);
        var text = state.State?.Json ?? throw new InvalidOperationException("nothing to store");
        await writer.WriteAsync(path, Encoding.UTF8.GetBytes(text), mode: FileMode);
        state.ETag = ConfigETag.Of(text);
        state.RecordExists = true;
    }

    /// <inheritdoc />
    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var path = PathOf(grainId);
        await StateFiles.CheckETagAsync(path, grainState.ETag);
        File.Delete(path);
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    private string PathOf(GrainId grainId) => AuthFileName.PathIn(authDirectory, AuthFileKeys.NameOf(grainId.Key.ToString()!));



    private static IGrainState<AuthFileState> Expect<T>(IGrainState<T> state) =>
        state as IGrainState<AuthFileState> ?? throw new InvalidOperationException($"{nameof(AuthFileStorage)} stores only {nameof(AuthFileState)}");
}
