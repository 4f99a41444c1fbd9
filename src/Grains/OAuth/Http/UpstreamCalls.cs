using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CliProxy.Grains.OAuth.Http;

/// <summary>An upstream's answer: status, body text, and the body as a JSON object when it is one.</summary>
/// <param name="Status">HTTP status code.</param>
/// <param name="Body">The body text.</param>
/// <param name="Json">The body as a JSON object, or null.</param>
public sealed record UpstreamAnswer(int Status, string Body, JsonObject? Json)
{
    /// <summary>True for 2xx.</summary>
    public bool IsSuccess => Status is >= 200 and < 300;
}

/// <summary>The request shapes the login flows send (form, JSON, GET), each answered as an <see cref="UpstreamAnswer"/>.</summary>
public static class UpstreamCalls
{
    /// <summary>POSTs <paramref name="form"/> URL-encoded with <c>Accept: application/json</c>.</summary>
    public static Task<UpstreamAnswer> PostFormAsync(this HttpClient http, string url, IEnumerable<KeyValuePair<string, string>> form,
        CancellationToken cancellationToken, Action<HttpRequestHeaders>? headers = null) =>
        SendAsync(http, HttpMethod.Post, url, new FormUrlEncodedContent(form), headers, cancellationToken);

    /// <summary>POSTs <paramref name="body"/> as JSON with <c>Accept: application/json</c>.</summary>
    public static Task<UpstreamAnswer> PostJsonAsync(this HttpClient http, string url, JsonNode body,
        CancellationToken cancellationToken, Action<HttpRequestHeaders>? headers = null) =>
        SendAsync(http, HttpMethod.Post, url, JsonContent.Create(body), headers, cancellationToken);

    /// <summary>GETs <paramref name="url"/> with <c>Accept: application/json</c>.</summary>
    public static Task<UpstreamAnswer> GetJsonAsync(this HttpClient http, string url, CancellationToken cancellationToken, Action<HttpRequestHeaders>? headers = null) =>
        SendAsync(http, HttpMethod.Get, url, null, headers, cancellationToken);

    private static async Task<UpstreamAnswer> SendAsync(HttpClient http, HttpMethod method, string url, HttpContent? content,
        Action<HttpRequestHeaders>? headers, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        request.Headers.Accept.ParseAdd("application/json");
        headers?.Invoke(request.Headers);
        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        JsonObject? json = null;
        try
        {
            json = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
        }
        return new UpstreamAnswer((int)response.StatusCode, body, json);
    }
}
