using System.Net.Http.Headers;
using System.Text;

namespace CliProxy.Bench;

/// <summary>The scenario sets.</summary>
public static class Scenarios
{
    public static IReadOnlyList<Scenario> For(string name, GatewayUnderTest gateway) => name switch
    {
        "management" =>
        [
            new("bare GET /healthz", _ => new HttpRequestMessage(HttpMethod.Get, "/healthz"), Baseline: true),
            new("GET /v0/management/config", _ => Authorized(HttpMethod.Get, "/v0/management/config")),
            new("PUT /v0/management/debug (no change)", n =>
            {
                var request = Authorized(HttpMethod.Put, "/v0/management/debug");
                request.Content = new StringContent("{\"value\":false}", Encoding.UTF8, "application/json");
                return request;
            }),
            new("PATCH /v0/management/api-keys", n =>
            {
                var request = Authorized(HttpMethod.Patch, "/v0/management/api-keys");
                request.Content = new StringContent($$"""{"index":0,"value":"sk-bench-{{n}}"}""", Encoding.UTF8, "application/json");
                return request;
            }),
        ],
        _ => throw new ArgumentException("unknown scenario " + name),
    };

    /// <summary>A request to <paramref name="path"/> carrying the management key of the gateway under test.</summary>
    public static HttpRequestMessage Authorized(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", GatewayUnderTest.Key);
        return request;
    }
}
