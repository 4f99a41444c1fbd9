using System.Collections.Immutable;
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
    /// <summary>The candidates of <paramref name="routes"/> at <paramref name="now"/>.</summary>
    /// <param name="routes">The model's routes.</param>
    /// <param name="tried">Credential ids tried in this round.</param>
    /// <param name="served">Whether an executor serves a credential for the client's protocol.</param>
    /// <param name="blocks">The cooldowns of this node's view.</param>
    /// <param name="model">The requested model (suffix-stripped): the cooldown key.</param>
    /// <param name="now">The current time.</param>
    public static CandidateSet Of(IEnumerable<ModelRoute> routes, IReadOnlySet<string> tried, Func<UpstreamCredential, bool> served,
        ICooldownBoard blocks, string model, DateTimeOffset now)
    {
        var open = new List<ModelRoute>();
        var (blocked, allQuota, earliest) = (0, true, (DateTimeOffset?)null);
        foreach (var route in routes)
        {
            if (tried.Contains(route.Credential.Id) || !served(route.Credential)) continue;
            if (blocks.Find(route.Credential.Id, model, now) is { } block && block.Until > now)
            {
                blocked++;
                allQuota &= block.Quota;
                if (earliest is null || block.Until < earliest) earliest = block.Until;
                continue;
            }
            open.Add(route);
        }
        if (open.Count == 0) return new CandidateSet([], blocked, blocked > 0 && allQuota, earliest);
        var top = open.Max(r => r.Credential.Priority);
        var eligible = open.Where(r => r.Credential.Priority == top).OrderBy(r => r.Credential.Id, StringComparer.Ordinal).ToImmutableArray();
        return new CandidateSet(eligible, blocked, blocked > 0 && allQuota, earliest);
    }
}
