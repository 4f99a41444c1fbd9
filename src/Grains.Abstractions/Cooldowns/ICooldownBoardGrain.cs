using System.Collections.Immutable;
using Orleans.Concurrency;

namespace CliProxy.Abstractions.Cooldowns;

/// <summary>
/// The cluster's cooldowns of credentials per requested model (spec usage §5.4), one grain per deployment
/// (key <see cref="CooldownBoardKeys.Cluster"/>). It applies reported outcomes with the domain's
/// <c>CooldownRules</c>, forgets spent pairs, and pushes every change, as one new version, to the
/// subscribed nodes (<see cref="ICooldownBoardObserver"/>), whose copies answer the proxy's selection
/// without a grain call. The state lives in memory only: it is lost when the grain's silo stops (every
/// credential is eligible again; the nodes' version check adopts the empty board within a second).
/// </summary>
public interface ICooldownBoardGrain : IGrainWithStringKey
{
    /// <summary>
    /// Applies the outcome of one attempt at the grain's clock. The answer carries the change it made
    /// (null when the outcome changed nothing), or a refusal when the report names no credential or model.
    /// </summary>
    Task<CooldownReportResult> Report(CooldownReport report);

    /// <summary>Every remembered pair with the version they make up.</summary>
    [AlwaysInterleave]
    Task<CooldownSnapshot> GetSnapshot();

    /// <summary>
    /// The current version (cheap; nodes poll it to catch up after a missed push). It starts, on each
    /// activation, from the activation's clock in microseconds and grows by one per change.
    /// </summary>
    [AlwaysInterleave]
    Task<long> GetVersion();

    /// <summary>Registers <paramref name="observer"/> for change pushes; renew within a few minutes.</summary>
    Task Subscribe(ICooldownBoardObserver observer);

    /// <summary>Stops pushes to <paramref name="observer"/>.</summary>
    Task Unsubscribe(ICooldownBoardObserver observer);
}

/// <summary>Receives every change of the cooldown board.</summary>
public interface ICooldownBoardObserver : IGrainObserver
{
    /// <summary>The board moved from <see cref="CooldownChange.From"/> to <see cref="CooldownChange.To"/>.</summary>
    [OneWay]
    Task OnCooldownsChanged(CooldownChange change);
}

/// <summary>Keys of the cooldown board.</summary>
public static class CooldownBoardKeys
{
    /// <summary>The board of one deployment.</summary>
    public const string Cluster = "default";
}
