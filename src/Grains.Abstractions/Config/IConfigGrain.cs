using CliProxy.Abstractions.Idempotency;
using Orleans.Concurrency;

namespace CliProxy.Abstractions.Config;

/// <summary>
/// Owner of the config document (key <see cref="ConfigGrainKeys.Default"/>). Every change goes
/// through it, so concurrent writers on any node are serialised; a change is answered only after
/// it is stored, and a refused or failed change leaves the stored document as it was.
/// </summary>
public interface IConfigGrain : IGrainWithStringKey
{
    /// <summary>The current accepted document.</summary>
    [AlwaysInterleave]
    Task<ConfigSnapshot> GetSnapshot();

    /// <summary>The current version (cheap; nodes poll it to catch up after missed notifications).</summary>
    [AlwaysInterleave]
    Task<long> GetVersion();

    /// <summary>
    /// Applies a <c>PUT</c>/<c>PATCH</c>/<c>DELETE</c> on the resource at <paramref name="route"/>
    /// (e.g. <c>/api-keys</c>).
    /// Status 200 with the new snapshot, or the reference's 4xx/5xx and error message. A change carrying an
    /// <see cref="ConfigRequest.Idempotency"/> key already applied answers 200 without being applied again
    /// (422 when the key was used for another request).
    /// </summary>
    Task<ConfigEditResult> Edit(string route, ConfigRequest request);

    /// <summary>
    /// Replaces the whole document (<c>PUT /config.yaml</c>). When
    /// <paramref name="ifMatch"/> is given and differs from the current ETag, answers 412 and
    /// changes nothing. Errors: 400 <c>invalid_yaml</c>, 412 <c>precondition_failed</c>,
    /// 422 <c>invalid_config</c>, 500 <c>write_failed</c>. With <paramref name="idempotency"/>, a replacement
    /// already stored under the same key answers 200 without being stored again (422 when the key was used
    /// for another request).
    /// </summary>
    Task<ConfigEditResult> ReplaceDocument(string yaml, string? ifMatch, IdempotencyToken? idempotency = null);

    /// <summary>
    /// Re-reads the document from storage (a person edited config.yaml). A valid new text becomes
    /// the current document; an invalid one is logged and ignored. Returns the current snapshot.
    /// </summary>
    Task<ConfigSnapshot> Reload();

    /// <summary>Registers <paramref name="observer"/> for change notifications; renew within a few minutes.</summary>
    Task Subscribe(IConfigObserver observer);

    /// <summary>Stops notifications to <paramref name="observer"/>.</summary>
    Task Unsubscribe(IConfigObserver observer);
}

/// <summary>Receives every accepted config change.</summary>
public interface IConfigObserver : IGrainObserver
{
    /// <summary>A new document version was stored.</summary>
    [OneWay]
    Task OnConfigChanged(ConfigSnapshot snapshot);
}

/// <summary>Keys of the config grain.</summary>
public static class ConfigGrainKeys
{
    /// <summary>The one config document of a deployment.</summary>
    public const string Default = "default";
}
