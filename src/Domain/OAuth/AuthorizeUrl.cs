using System.Text;

namespace CliProxy.Domain.OAuth;

/// <summary>Authorize URLs as the reference builds them: the parameters form-encoded in lexical key order.</summary>
public static class AuthorizeUrl
{
    /// <summary><paramref name="baseUrl"/> + <c>?</c> (or <c>&amp;</c> when it has a query) + the encoded <paramref name="parameters"/>.</summary>
    public static string Build(string baseUrl, IEnumerable<KeyValuePair<string, string>> parameters)
    {
        var query = new StringBuilder();
        foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (query.Length > 0) query.Append('&');
            query.Append(Uri.EscapeDataString(key).Replace("%20", "+")).Append('=').Append(Uri.EscapeDataString(value).Replace("%20", "+"));
        }
        return baseUrl + (baseUrl.Contains('?') ? "&" : "?") + query;
    }
}
