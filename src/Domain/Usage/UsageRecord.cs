namespace CliProxy.Domain.Usage;

/// <summary>
/// What a provider executor reports for one upstream attempt (spec §1.3), captured when the attempt
/// ends, so nothing is read later from a recycled request object (spec §7 defect 3). Build the
/// <paramref name="Source"/> of a credential known only by its upstream key with
/// <see cref="UsageSource.UpstreamKey"/>.
/// </summary>
/// <param name="ClientKey">The client API key that authenticated the request, or <c>""</c> when none is configured.</param>
/// <param name="Route">The client request's <c>"METHOD /route template"</c> (e.g. <c>POST /v1/chat/completions</c>): the API identity when there is no client key.</param>
/// <param name="Provider">The executor's provider id.</param>
/// <param name="Model">The upstream model actually requested.</param>
/// <param name="AuthIndex">The credential's <c>auth_index</c>.</param>
/// <param name="Source">The credential's label (spec §1.3 <c>source</c>), never an upstream key in clear.</param>
/// <param name="Timestamp">When the attempt started, with its zone's offset and original precision.</param>
/// <param name="Tokens">The token counts (normalised when stored).</param>
/// <param name="Failed">Whether the attempt failed.</param>
/// <param name="LatencyMs">Wall time from attempt start to the record, in milliseconds.</param>
public sealed record UsageRecord(
    string ClientKey, string Route, string Provider, string Model, string AuthIndex, string Source,
    UsageTimestamp Timestamp, UsageTokens Tokens, bool Failed, long LatencyMs)
{
    /// <summary>
    /// The stored detail (spec §1.5 steps 2–3): the API identity is the client key, else the route,
    /// else the provider, else <c>unknown</c>; an empty model is <c>unknown</c>; tokens are normalised;
    /// a negative latency is 0.
    /// </summary>
    public UsageDetail ToDetail()
    {
        var api = ClientKey.Length > 0 ? ClientKey
            : Route.Trim() is { Length: > 0 } route ? route
            : Provider.Trim() is { Length: > 0 } provider ? provider
            : "unknown";
        var model = Model.Trim() is { Length: > 0 } m ? m : "unknown";
        return new UsageDetail(api, model, Timestamp, Source.Trim(), AuthIndex.Trim(), Tokens.Normalized(), Failed, Math.Max(0, LatencyMs), Provider.Trim());
    }
}
