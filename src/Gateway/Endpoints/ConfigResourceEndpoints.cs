using CliProxy.Abstractions.Config;
using CliProxy.Abstractions.Idempotency;
using CliProxy.Domain.Config.Resources;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Idempotency;

namespace CliProxy.Gateway.Endpoints;

/// <summary>
/// Maps every config resource (scalar settings, <c>/api-keys</c>, provider lists, OAuth maps,
/// <c>/ampcode/*</c>): GET answers from this node's config view; PUT/PATCH/DELETE
/// pass the raw request to the config grain and answer <c>200 {"status":"ok"}</c> or its refusal. An
/// edit without an <c>Idempotency-Key</c> gets a key of its own (<see cref="IdempotencyToken.Assign"/>),
/// so that a call whose answer was lost when a silo stopped is sent again and still applied once.
/// </summary>
public static class ConfigResourceEndpoints
{
    /// <summary>Adds the routes of <see cref="ConfigResources.All"/> to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapConfigResources(this RouteGroupBuilder group)
    {
        foreach (var resource in ConfigResources.All)
        {
            group.MapGet(resource.Route, async (ConfigSnapshotCache configs) => JsonResponses.Json((await configs.GetAsync()).Read(resource)))
                .WithSummary(resource.Summary).WithTags(Tag(resource));
            if (resource.EditMethods.Count == 0) continue;
            group.MapMethods(resource.Route, resource.EditMethods, (HttpContext http, ConfigSnapshotCache configs) => Edit(http, resource, configs))
                .WithSummary(resource.Summary).WithTags(Tag(resource));
        }
        return group;
    }

    private static async Task<IResult> Edit(HttpContext http, ConfigResource resource, ConfigSnapshotCache configs)
    {
        var body = await BodyReader.ReadAsync(http.Request, BodyReader.ConfigLimit, http.RequestAborted);
        var query = new Dictionary<string, string>(http.Request.Query.Count, StringComparer.Ordinal);
        foreach (var (k, v) in http.Request.Query) query[k] = v.FirstOrDefault() ?? "";
        var request = new ConfigRequest(HttpMethods.GetCanonicalizedValue(http.Request.Method), body, query, IdempotencyFilter.TokenOf(http) ?? IdempotencyToken.Assign());
        var result = await configs.Grain.Edit(resource.Route, request);
        if (result.Refusal is { } refusal) return JsonResponses.Refuse(refusal);
        configs.Offer(result.Snapshot!);
        return JsonResponses.StatusOk;
    }

    private static string Tag(ConfigResource resource) => resource switch
    {
        ScalarSetting => "Settings",
        ProviderListResource => "Provider keys",
        OAuthMapResource => "OAuth maps",
        AmpcodeResource or AmpKeyedListResource => "Ampcode",
        _ => "Client keys",
    };
}
