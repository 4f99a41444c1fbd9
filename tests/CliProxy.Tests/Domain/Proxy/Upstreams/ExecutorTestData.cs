using System.Collections.Frozen;
using System.Text;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Upstreams;

namespace CliProxy.Tests.Domain.Proxy.Upstreams;

/// <summary>Credentials, calls and readers shared by the executor tests.</summary>
internal static class ExecutorTestData
{
    public static UpstreamCredential Credential(string provider, UpstreamProtocol protocol, bool oauth = false, string baseUrl = "",
        params (string Name, string Value)[] headers) =>
        new($"{provider}[0]", "0123456789abcdef", provider, protocol,
            oauth ? new UpstreamSecret.AuthFile($"{provider}-a@example.com.json") : new UpstreamSecret.ApiKey("sk-upstream"),
            baseUrl, headers.ToFrozenDictionary(h => h.Name, h => h.Value, StringComparer.OrdinalIgnoreCase), "", "", 0, "a@example.com", null, null);

    public static ClientCall Call(ClientProtocol protocol, string body, bool stream = false, params (string Name, string Value)[] headers) =>
        new(protocol, Encoding.UTF8.GetBytes(body), stream, "") { Headers = headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList() };

    public static string? Header(UpstreamRequest request, string name) =>
        request.Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).SingleOrDefault();

    public static string Body(UpstreamRequest request) => Encoding.UTF8.GetString(request.Body.Span);

    public static UpstreamOptions Options(params (string Provider, string Url)[] overrides)
    {
        var options = new UpstreamOptions();
        foreach (var (provider, url) in overrides) options.BaseUrls[provider] = url;
        return options;
    }
}
