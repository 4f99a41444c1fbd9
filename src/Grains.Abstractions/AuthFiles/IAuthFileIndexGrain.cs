using System.Collections.Immutable;
using CliProxy.Abstractions.Calls;
using CliProxy.Domain.AuthFiles;
using Orleans.Concurrency;

namespace CliProxy.Abstractions.AuthFiles;

/// <summary>
/// Names and list summaries of every credential (key <see cref="AuthFileKeys.Index"/>), kept up
/// to date by the auth-file grains, so that listing is one call.
/// </summary>
public interface IAuthFileIndexGrain : IGrainWithStringKey
{
    /// <summary>All summaries, sorted by name (case-insensitive, then ordinal).</summary>
    [AlwaysInterleave, RetrySafe]
    Task<ImmutableArray<AuthFileSummary>> List();

    /// <summary>The summary of <paramref name="name"/>, or null.</summary>
    [AlwaysInterleave]
    Task<AuthFileSummary?> Find(string name);

    /// <summary>Adds or replaces a summary.</summary>
    Task Upsert(AuthFileSummary summary);

    /// <summary>Forgets <paramref name="name"/>.</summary>
    Task Remove(string name);
}
