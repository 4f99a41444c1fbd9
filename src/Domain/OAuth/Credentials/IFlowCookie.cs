using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CliProxy.Domain.OAuth.Credentials;

/// <summary>The rules of the iFlow cookie login (spec §5.9.8): the cookie's normal form, its <c>BXAuth</c> value, and the file it writes.</summary>
public static partial class IFlowCookie
{
    /// <summary>
    /// Whitespace runs collapsed to one space, trimmed, <c>;</c> appended when missing; null when the result
    /// has no <c>BXAuth=</c>.
    /// </summary>
    public static string? Normalize(string cookie)
    {
        var text = Spaces().Replace(cookie.Trim(), " ");
        if (!text.EndsWith(';')) text += ";";
        return text.Contains("BXAuth=", StringComparison.Ordinal) ? text : null;
    }

    /// <summary>The text after <c>BXAuth=</c> in the <c>;</c>-separated part that starts with it; "" when none.</summary>
    public static string BxAuth(string cookie)
    {
        foreach (var part in cookie.Split(';'))
            if (part.Trim() is var p && p.StartsWith("BXAuth=", StringComparison.Ordinal)) return p["BXAuth=".Length..];
        return "";
    }

    /// <summary>
    /// The file: <c>iflow-&lt;sanitised name&gt;-&lt;unixSeconds&gt;.json</c> (<c>*</c> → <c>x</c>, then only
    /// <c>[A-Za-z0-9_@.-]</c>; empty: <c>iflow-&lt;unixMillis&gt;-&lt;unixSeconds&gt;.json</c>), sorted and compact,
    /// with only the <c>BXAuth</c> pair of the cookie kept.
    /// </summary>
    public static LoginCredential Build(string name, string apiKey, string expireTime, string bxAuth, DateTimeOffset now)
    {
        var safe = new string(name.Replace('*', 'x').Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '@' or '.' or '-').ToArray()).Replace("..", ".", StringComparison.Ordinal);
        if (safe.Length == 0) safe = now.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        var json = LoginCredential.SortedCompact(new JsonObject
        {
            ["access_token"] = "",
            ["api_key"] = apiKey,
            ["cookie"] = $"BXAuth={bxAuth};",
            ["email"] = name,
            ["expired"] = expireTime,
            ["last_refresh"] = LoginCredential.Time(now),
            ["refresh_token"] = "",
            ["scope"] = "",
            ["token_type"] = "",
            ["type"] = "iflow",
        });
        return new LoginCredential($"iflow-{safe}-{now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)}.json", json);
    }

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
