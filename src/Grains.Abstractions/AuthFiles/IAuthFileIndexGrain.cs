using System.Collections.Immutable;
using CliProxy.Abstractions.Calls;
using CliProxy.Domain.AuthFiles;
using Orleans.Concurrency;

namespace CliProxy.Abstractions.AuthFiles;

/// <summary>
/// Names and list summaries of every credential (key <see cref="AuthFileKeys.Index"/>), kept up
/// to date by the auth-file grains, so that listing is one call. Every change of the index moves its
/// version on and is pushed to the subscribed nodes (<see cref="IAuthFileIndexObserver"/>), which
/// keep a copy of it (the gateway's credential index mirror).
/// </summary>
public interface IAuthFileIndexGrain : IGrainWithStringKey
{
    /// <summary>All summaries, sorted by name (case-insensitive, then ordinal).</summary>
    [AlwaysInterleave, RetrySafe]
    Task<ImmutableArray<AuthFileSummary>> List();

    /// <summary>The summary of <paramref name="name"/>, or null.</summary>
    [AlwaysInterleave]
    Task<AuthFileSummary?> Find(string name);

    /// <summary>All summaries (as <see cref="List"/>) with the version they make up.</summary>
    [AlwaysInterleave]
    Task<AuthFileIndexSnapshot> GetSnapshot();

    /// <summary>
    /// The current version (cheap; nodes poll it to catch up after a missed push). It starts, on each
    /// activation, from the activation's clock in microseconds and grows by one per change.
    /// </summary>
    [AlwaysInterleave]
    Task<long> GetVersion();

    /// <summary>Adds or replaces a summary (an identical one changes nothing).</summary>
    Task Upsert(AuthFileSummary summary);

    /// <summary>Forgets <paramref name="name"/>.</summary>
    Task Remove(string name);

    /// <summary>Registers <paramref name="observer"/> for change pushes; renew within a few minutes.</summary>
    Task Subscribe(IAuthFileIndexObserver observer);

    /// <summary>Stops pushes to <paramref name="observer"/>.</summary>
    Task Unsubscribe(IAuthFileIndexObserver observer);
}

/// <summary>Receives every change of the credential index.</summary>
public interface IAuthFileIndexObserver : IGrainObserver
{
    /// <summary>The index moved from <see cref="AuthFileIndexChange.From"/> to <see cref="AuthFileIndexChange.To"/>.</summary>
    [OneWay]
    Task OnIndexChanged(AuthFileIndexChange change);
}

/// <summary>The credential index at one version.</summary>
/// <param name="Version">See <see cref="IAuthFileIndexGrain.GetVersion"/>.</param>
/// <param name="Files">Every summary, sorted as <see cref="IAuthFileIndexGrain.List"/>.</param>
[GenerateSerializer, Immutable]
public sealed record AuthFileIndexSnapshot([property: Id(0)] long Version, [property: Id(1)] ImmutableArray<AuthFileSummary> Files);

/// <summary>
/// One change of the credential index: summaries added or replaced, and names removed. A node whose
/// copy is not at <paramref name="From"/> missed a change and reads the whole index again.
/// </summary>
/// <param name="From">The version the change applies to.</param>
/// <param name="To">The version after it.</param>
/// <param name="Upserted">Summaries added or replaced.</param>
/// <param name="Removed">File names removed.</param>
[GenerateSerializer, Immutable]
public sealed record AuthFileIndexChange(
    [property: Id(0)] long From,
    [property: Id(1)] long To,
    [property: Id(2)] ImmutableArray<AuthFileSummary> Upserted,
    [property: Id(3)] ImmutableArray<string> Removed);
