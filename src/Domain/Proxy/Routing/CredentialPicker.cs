using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using CliProxy.Domain.Config.Settings;
using CliProxy.Domain.Proxy.Catalogue;

namespace CliProxy.Domain.Proxy.Routing;

/// <summary>
/// Picks the credential of an attempt (spec usage §5.3 step 4). Round-robin keeps one cursor per
/// <c>"&lt;provider or mixed&gt;:&lt;model&gt;"</c> on this node and takes <c>candidates[cursor % n]</c>; fill-first always
/// takes the first. The cursors are per node and never shared: every node sorts the same candidates the same way
/// (priority group, then credential id), so each node spreads its own requests evenly over them, and the sum over
/// nodes is even too (within one request per node and cycle) — no grain call per request.
/// </summary>
public sealed class CredentialPicker
{
    private readonly ConcurrentDictionary<string, StrongBox<long>> _cursors = new(StringComparer.Ordinal);

    /// <summary>The cursor key of <paramref name="model"/> served by <paramref name="routes"/>: their provider when they share one, else <c>mixed</c>.</summary>
    public static string KeyOf(IReadOnlyList<ModelRoute> routes, string model)
    {
        var provider = routes.Count > 0 ? routes[0].Credential.Provider : "";
        for (var i = 1; i < routes.Count; i++)
            if (routes[i].Credential.Provider != provider) return "mixed:" + model;
        return provider + ":" + model;
    }

    /// <summary>The route to try among <paramref name="candidates"/> (non-empty, in selection order).</summary>
    public ModelRoute Pick(IReadOnlyList<ModelRoute> candidates, RoutingStrategy strategy, string key)
    {
        if (candidates.Count == 1 || strategy == RoutingStrategy.FillFirst) return candidates[0];
        var cursor = _cursors.GetOrAdd(key, static _ => new StrongBox<long>());
        var next = Interlocked.Increment(ref cursor.Value) - 1;
        return candidates[(int)(next % candidates.Count)];
    }
}
