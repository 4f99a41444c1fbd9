using CliProxy.Domain.AuthFiles;

namespace CliProxy.Grains.AuthFiles;

/// <summary>
/// Where the index finds every stored credential: the index is derived from the credentials
/// themselves (never stored on its own), so it cannot drift from them for long.
/// </summary>
public interface IAuthFileCatalog
{
    /// <summary>How often the index re-reads the catalog to repair missed updates (null: never).</summary>
    TimeSpan? ReconcileEvery { get; }

    /// <summary>Summaries of every stored credential, by file name.</summary>
    Task<Dictionary<string, AuthFileSummary>> LoadAsync(CancellationToken cancellationToken = default);
}
