using System.Text.Json.Nodes;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Proxy.Catalogue;

namespace CliProxy.Gateway.Proxy.Access;

/// <summary>
/// The client-key check of every /v1 and /v1beta route (spec usage §5.2), read from the node's config copy: a refused
/// request answers <c>401 {"error":"Missing API key"}</c> or <c>{"error":"Invalid API key"}</c> (a flat string, not the
/// OpenAI error object); an accepted one carries its principal and state in <see cref="ProxyRequestFeature"/>. The model
/// lists run it as an endpoint filter; the calls (every request a coding tool makes) run <see cref="AdmitAsync"/>
/// themselves, which spares them the filter pipeline.
/// </summary>
public sealed class ClientKeyFilter(CatalogueSource source) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var (_, refusal) = await AdmitAsync(context.HttpContext);
        return refusal ?? await next(context);
    }

    /// <summary>
    /// Checks the key <paramref name="http"/> presents: accepted, the request's <see cref="ProxyRequestFeature"/> (also
    /// set on the request); refused, the 401 answer.
    /// </summary>
    public async ValueTask<(ProxyRequestFeature? Admitted, IResult? Refusal)> AdmitAsync(HttpContext http)
    {
        var state = await source.GetAsync();
        var (verdict, key) = ClientKeyCheck.Check(PresentedKeys.Client(http.Request), state.Config.Settings);
        if (verdict != ClientKeyVerdict.Accepted)
            return (null, JsonResponses.Json(new JsonObject { ["error"] = verdict == ClientKeyVerdict.Missing ? "Missing API key" : "Invalid API key" }, StatusCodes.Status401Unauthorized));
        var admitted = new ProxyRequestFeature(key, state);
        http.Features.Set(admitted);
        return (admitted, null);
    }
}

/// <summary>What the client-key check hands to a proxy route: the principal and the state it was checked against.</summary>
/// <param name="ClientKey">The accepted client key, or <c>""</c> when none are configured.</param>
/// <param name="State">The config version and catalogue the request is served with.</param>
public sealed record ProxyRequestFeature(string ClientKey, ProxyState State);
