using System.Text;
using System.Text.Json;
using CliProxy.Domain.Go;

namespace CliProxy.Gateway.ApiCall;

/// <summary>
/// The body of <c>POST /api-call</c> (spec §3.1), read as the reference's Go binding reads it: property
/// names match case-insensitively, <c>null</c> means absent, a value of the wrong type makes the body
/// invalid. The credential is chosen by <c>auth_index</c>, <c>authIndex</c> or <c>AuthIndex</c> — the
/// first given with a non-blank value.
/// </summary>
/// <param name="AuthIndex">The credential's <c>auth_index</c> (trimmed), or <c>""</c> for none.</param>
/// <param name="Method">Trimmed and upper-cased.</param>
/// <param name="Url">The target (absolute, with scheme and host).</param>
/// <param name="Headers">Header names (canonical, <c>x-api-key</c> → <c>X-Api-Key</c>) and values, one value per name.</param>
/// <param name="Data">The raw body to send, <c>""</c> for none.</param>
public sealed record ApiCallRequest(string AuthIndex, string Method, Uri Url, IReadOnlyList<KeyValuePair<string, string>> Headers, string Data)
{
    /// <summary>Reads <paramref name="body"/>; on failure <paramref name="error"/> is the spec's message (400).</summary>
    public static ApiCallRequest? Parse(string body, out string error)
    {
        error = "invalid body";
        if (!GoJson.TryParseBound(body, out var json) || json.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)) return null;
        if (json.ValueKind == JsonValueKind.Null) json = JsonDocument.Parse("{}").RootElement;
        var method = GoJson.Read<string>(json, "method");
        var url = GoJson.Read<string>(json, "url");
        var data = GoJson.Read<string>(json, "data");
        if (method.State == OptionalState.Invalid || url.State == OptionalState.Invalid || data.State == OptionalState.Invalid) return null;
        if (AuthIndexOf(json) is not { } authIndex || HeadersOf(json) is not { } headers) return null;
        var methodText = (method.Value ?? "").Trim().ToUpperInvariant();
        var urlText = (url.Value ?? "").Trim();
        if (methodText.Length == 0)
        {
            error = "missing method";
            return null;
        }
        if (urlText.Length == 0)
        {
            error = "missing url";
            return null;
        }
        if (!Uri.TryCreate(urlText, UriKind.Absolute, out var target) || target.Host.Length == 0 || target.IsFile || target.IsUnc)
        {
            error = "invalid url";
            return null;
        }
        return new ApiCallRequest(authIndex, methodText, target, headers, data.Value ?? "");
    }

    /// <summary>
    /// The first non-blank of the three spellings (Go's binding: an exact name first, else a case-insensitive
    /// match; <c>authIndex</c> and <c>AuthIndex</c> differ only in case, so any other casing is <c>authIndex</c>).
    /// Null when one of them is not a string.
    /// </summary>
    private static string? AuthIndexOf(JsonElement json)
    {
        string? snake = null, camel = null, pascal = null;
        foreach (var property in json.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.Null) continue;
            var isSnake = property.Name.Equals("auth_index", StringComparison.OrdinalIgnoreCase);
            var isOther = property.Name.Equals("authIndex", StringComparison.OrdinalIgnoreCase);
            if (!isSnake && !isOther) continue;
            if (property.Value.ValueKind != JsonValueKind.String) return null;
            var value = property.Value.GetString()!;
            if (isSnake) snake = value;
            else if (property.Name == "AuthIndex") pascal = value;
            else camel = value;
        }
        foreach (var candidate in new[] { snake, camel, pascal })
            if (candidate?.Trim() is { Length: > 0 } given) return given;
        return "";
    }

    /// <summary>The <c>header</c> object (last value of a repeated name wins); null when it is not an object of strings.</summary>
    private static List<KeyValuePair<string, string>>? HeadersOf(JsonElement json)
    {
        if (!GoJson.TryGet(json, "header", out var header)) return [];
        if (header.ValueKind != JsonValueKind.Object) return null;
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var property in header.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String) return null;
            byName[CanonicalName(property.Name)] = property.Value.GetString()!;
        }
        return byName.ToList();
    }

    /// <summary>
    /// Go's canonical header name: the first letter and each letter after <c>-</c> upper case, the rest lower
    /// (<c>x-api-key</c> → <c>X-Api-Key</c>); a name with a space or another character not allowed in a
    /// header name is kept as given.
    /// </summary>
    public static string CanonicalName(string name)
    {
        foreach (var c in name)
            if (c is <= ' ' or >= (char)0x7f or '(' or ')' or '<' or '>' or '@' or ',' or ';' or ':' or '\\' or '"' or '/' or '[' or ']' or '?' or '=' or '{' or '}')
                return name;
        var text = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            text.Append(upper ? char.ToUpperInvariant(c) : char.ToLowerInvariant(c));
            upper = c == '-';
        }
        return text.ToString();
    }
}
