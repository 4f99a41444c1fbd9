using CliProxy.Abstractions.Calls;
using CliProxy.Abstractions.Idempotency;
using CliProxy.Domain.Errors;
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
    [AlwaysInterleave, RetrySafe]
    Task<ConfigSnapshot> GetSnapshot();

    /// <summary>
    /// The current version (cheap; nodes poll it to catch up after missed notifications, and the readiness
    /// probe asks it). Not resent: a failed poll is the next poll's job, and a failed probe must say so.
    /// </summary>
    [AlwaysInterleave]
    Task<long> GetVersion();

    /// <summary>
    /// Applies a <c>PUT</c>/<c>PATCH</c>/<c>DELETE</c> on the resource at <paramref name="route"/>
    /// (e.g. <c>/api-keys</c>): the new snapshot, or the resource's refusal. A change carrying an
    /// <see cref="ConfigRequest.Idempotency"/> key already applied is accepted without being applied again
    /// (<see cref="Refusals.IdempotencyKeyReused"/> when the key was used for another request). Resent after
    /// any transient failure when the request is retry-safe (<see cref="ConfigRequest.IsRetrySafe"/>), else
    /// only when it certainly did not run.
    /// </summary>
    [ResendWhenNotDelivered]
    Task<ConfigEditResult> Edit(string route, ConfigRequest request);

    /// <summary>
    /// Replaces the whole document (<c>PUT /config.yaml</c>). When
    /// <paramref name="ifMatch"/> is given and differs from the current ETag, refuses with
    /// <see cref="Refusals.DocumentChanged"/> and changes nothing. Other refusals: <c>invalid_yaml</c>
    /// (<see cref="RefusalKind.Invalid"/>), <c>invalid_config</c> (<see cref="RefusalKind.Unprocessable"/>),
    /// <c>write_failed</c> (<see cref="RefusalKind.WriteFailed"/>). With <paramref name="idempotency"/>, a
    /// replacement already stored under the same key is accepted without being stored again
    /// (<see cref="Refusals.IdempotencyKeyReusedForDocument"/> when the key was used for another request).
    /// </summary>
    [RetrySafe]
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
