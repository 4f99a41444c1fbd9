using CliProxy.Domain.Proxy.Catalogue;
using CliProxy.Domain.Proxy.Cooldowns;

namespace CliProxy.Domain.Proxy.Routing;

/// <summary>
/// Whether a request whose round ran out of credentials gets another round (spec usage §5.5): only when
/// <c>max-retry-interval</c> is positive, and one of the model's credentials is blocked with a known end that is at most
/// that far away and has had fewer extra rounds than its <c>request-retry</c> (the credential's override, else the
/// global value). The wait is the shortest such block.
/// </summary>
public static class RetryRounds
{
    /// <summary>How long to wait before the next round, or null for none.</summary>
    /// <param name="routes">The model's routes.</param>
    /// <param name="blocks">The cooldowns of this node's view.</param>
    /// <param name="model">The requested model (suffix-stripped).</param>
    /// <param name="now">The current time.</param>
    /// <param name="extraRoundsDone">Extra rounds run so far.</param>
    /// <param name="requestRetry">Global <c>request-retry</c>.</param>
    /// <param name="maxRetryInterval">Global <c>max-retry-interval</c>.</param>
    public static TimeSpan? NextWait(IEnumerable<ModelRoute> routes, ICooldownBoard blocks, string model, DateTimeOffset now,
        int extraRoundsDone, long requestRetry, TimeSpan maxRetryInterval)
    {
        if (maxRetryInterval <= TimeSpan.Zero) return null;
        TimeSpan? shortest = null;
        foreach (var route in routes)
        {
            if (extraRoundsDone >= (route.Credential.RequestRetry ?? requestRetry)) continue;
            if (blocks.Find(route.Credential.Id, model, now) is not { } block) continue;
            var wait = block.Until - now;
            if (wait < TimeSpan.Zero) wait = TimeSpan.Zero;
            if (wait <= maxRetryInterval && (shortest is null || wait < shortest)) shortest = wait;
        }
        return shortest;
    }
}
