using System.Text;

namespace CliProxy.Domain.Logging;

/// <summary>
/// How secrets are shown in every log (spec §2.6): keys and tokens are shortened to a few characters
/// at each end, so a line tells which key was used without giving it away. Used for the access log's
/// query string, the request logs' URL and headers, and anything else that might carry a key.
/// </summary>
public static class SecretMask
{
    private static readonly string[] SecretHeaderWords = ["key", "token", "secret", "cookie", "password"];
    private static readonly string[] SecretQueryWords = ["api-key", "apikey", "api_key", "token", "secret", "password"];

    /// <summary>
    /// The reference's <c>HideKey</c>: more than 8 characters → first 4 + <c>...</c> + last 4; 5–8 → first
    /// 2 + <c>...</c> + last 2; 3–4 → first 1 + <c>...</c> + last 1; shorter values are kept (they carry no secret).
    /// </summary>
    public static string HideKey(string value) => value.Length switch
    {
        > 8 => string.Concat(value.AsSpan(0, 4), "...", value.AsSpan(value.Length - 4)),
        >= 5 => string.Concat(value.AsSpan(0, 2), "...", value.AsSpan(value.Length - 2)),
        >= 3 => string.Concat(value.AsSpan(0, 1), "...", value.AsSpan(value.Length - 1)),
        _ => value,
    };

    /// <summary>
    /// A header value as logs show it: a name containing <c>authorization</c> keeps its scheme word and masks
    /// the rest (<c>Bearer sk-a...9xyz</c>); a name containing <c>token</c> or <c>secret</c> (as the spec), or
    /// <c>key</c>, <c>cookie</c> or <c>password</c> (wider than the spec's <c>api-key</c>/<c>apikey</c>: a
    /// management key, a session cookie or a password is a secret too) masks the whole value; any other
    /// value is kept.
    /// </summary>
    public static string HeaderValue(string name, string value)
    {
        if (name.Contains("authorization", StringComparison.OrdinalIgnoreCase))
        {
            var trimmed = value.Trim();
            var space = trimmed.IndexOf(' ');
            return space > 0 ? trimmed[..space] + " " + HideKey(trimmed[(space + 1)..].Trim()) : HideKey(trimmed);
        }
        foreach (var word in SecretHeaderWords)
            if (name.Contains(word, StringComparison.OrdinalIgnoreCase)) return HideKey(value);
        return value;
    }

    /// <summary>
    /// A query string (without <c>?</c>) with the values of secret parameters masked: a name equal to
    /// <c>key</c> or <c>code</c> (an OAuth callback's authorization code; not in the spec) or containing <c>api-key</c>, <c>apikey</c>, <c>api_key</c>, <c>token</c> or
    /// <c>secret</c> (the spec's list) or <c>password</c>, case-insensitive, a trailing <c>[]</c> ignored.
    /// A masked value is URL-decoded, trimmed, masked and encoded again; other parameters are kept as sent.
    /// </summary>
    public static string Query(string query)
    {
        if (query.Length == 0) return query;
        var result = new StringBuilder(query.Length);
        foreach (var part in query.Split('&'))
        {
            if (result.Length > 0) result.Append('&');
            var eq = part.IndexOf('=');
            if (eq < 0 || !IsSecretParameter(Decode(part[..eq])))
            {
                result.Append(part);
                continue;
            }
            result.Append(part, 0, eq + 1).Append(Uri.EscapeDataString(HideKey(Decode(part[(eq + 1)..]).Trim())));
        }
        return result.ToString();
    }

    /// <summary>A path with an optional query (<c>/v1/x?key=…</c>) with the query masked as <see cref="Query"/> does.</summary>
    public static string PathAndQuery(string path, string query)
    {
        var q = query.StartsWith('?') ? query[1..] : query;
        return q.Length == 0 ? path : path + "?" + Query(q);
    }

    private static bool IsSecretParameter(string name)
    {
        var n = name.EndsWith("[]", StringComparison.Ordinal) ? name[..^2] : name;
        if (n.Equals("key", StringComparison.OrdinalIgnoreCase) || n.Equals("code", StringComparison.OrdinalIgnoreCase)) return true;
        foreach (var word in SecretQueryWords)
            if (n.Contains(word, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }

    private static string Decode(string text)
    {
        try
        {
            return Uri.UnescapeDataString(text.Replace('+', ' '));
        }
        catch (UriFormatException)
        {
            return text;
        }
    }
}
