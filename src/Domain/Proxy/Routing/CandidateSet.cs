using System.Collections.Immutable;
using System.Runtime.InteropServices;
using CliProxy.Domain.Proxy.Catalogue;
using CliProxy.Domain.Proxy.Cooldowns;

namespace CliProxy.Domain.Proxy.Routing;

/// <summary>
/// The credentials one attempt may use (spec usage §5.3 steps 2–3): the model's routes that were not tried in this
/// round and whose executor serves the client's protocol, without those blocked for the model; of those, the
/// highest priority group, sorted by credential id.
/// </summary>
/// <param name="Eligible">The candidates, in selection order (empty when none).</param>
/// <param name="Blocked">How many untried routes were skipped because they are cooling down.</param>
/// <param name="AllQuota">Whether every blocked route is a quota cooldown (a 429).</param>
/// <param name="EarliestReset">The earliest end of those blocks, or null when none was blocked.</param>
public sealed record CandidateSet(ImmutableArray<ModelRoute> Eligible, int Blocked, bool AllQuota, DateTimeOffset? EarliestReset)
{
    /// <summary>The candidates of <paramref name="routes"/> at <paramref name="now"/> (made for every attempt: no LINQ, one array).</summary>
    /// <param name="routes">The model's routes.</param>
    /// <param name="tried">Credential ids tried in this round (a few: searched in order).</param>
    /// <param name="served">Whether an executor serves a credential for the client's protocol (given <paramref name="state"/>).</param>
    /// <param name="state">What <paramref name="served"/> needs.</param>
    /// <param name="blocks">The cooldowns of this node's view.</param>
    /// <param name="model">The requested model (suffix-stripped): the cooldown key.</param>
    /// <param name="now">The current time.</param>
    public static CandidateSet Of<TState>(ImmutableArray<ModelRoute> routes, IReadOnlyList<string> tried, Func<UpstreamCredential, TState, bool> served,
        TState state, ICooldownBoard blocks, string model, DateTimeOffset now)
    {
        ModelRoute[]? top = null;
        var count = 0;
        var (blocked, allQuota, earliest) = (0, true, (DateTimeOffset?)null);
        foreach (var route in routes)
        {
            var credential = route.Credential;
            if (Tried(tried, credential.Id) || !served(credential, state)) continue;
            if (blocks.Find(credential.Id, model, now) is { } block && block.Until > now)
            {
                blocked++;
                allQuota &= block.Quota;
                if (earliest is null || block.Until < earliest) earliest = block.Until;
                continue;
            }
            // Keep only the highest priority group seen so far.
            if (count > 0 && credential.Priority < top![0].Credential.Priority) continue;
            if (count > 0 && credential.Priority > top![0].Credential.Priority) count = 0;
            top ??= new ModelRoute[routes.Length];
            top[count++] = route;
        }
        if (count == 0) return new CandidateSet([], blocked, blocked > 0 && allQuota, earliest);
        var eligible = count == top!.Length ? top : top.AsSpan(0, count).ToArray();
        if (count > 1) Array.Sort(eligible, ById.Instance);
        return new CandidateSet(ImmutableCollectionsMarshal.AsImmutableArray(eligible), blocked, blocked > 0 && allQuota, earliest);
    }

    private static bool Tried(IReadOnlyList<string> tried, string id)
    {
        for (var i = 0; i < tried.Count; i++)
            if (string.Equals(tried[i], id, StringComparison.Ordinal)) return true;
        return false;
    }

    private sealed class ById : IComparer<ModelRoute>
    {
        public static readonly ById Instance = new();

        public int Compare(ModelRoute? x, ModelRoute? y) => string.CompareOrdinal(x!.Credential.Id, y!.Credential.Id);
    }
}
