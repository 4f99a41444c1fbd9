using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CliProxy.Domain.OAuth.Credentials;

/// <summary>
/// The claims a Codex login needs from the id_token (a JWT; its signature is not checked, the
/// token came straight from the token endpoint over TLS). Parsing is lenient, unlike the
/// reference, whose strict claim types turned an unexpected <c>aud</c> into an empty e-mail and a
/// file named <c>codex-.json</c> that every such account overwrote.
/// </summary>
/// <param name="Email">Claim <c>email</c>, trimmed ("" when absent).</param>
/// <param name="AccountId">Claim <c>https://api.openai.com/auth</c> → <c>chatgpt_account_id</c> ("" when absent).</param>
/// <param name="Plan">Claim <c>https://api.openai.com/auth</c> → <c>chatgpt_plan_type</c> ("" when absent).</param>
public sealed record CodexIdToken(string Email, string AccountId, string Plan)
{
    /// <summary>The claims of <paramref name="jwt"/>; all empty when it is not a JWT with a JSON payload.</summary>
    public static CodexIdToken Parse(string? jwt)
    {
        var parts = (jwt ?? "").Split('.');
        if (parts.Length < 2) return new("", "", "");
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            if (JsonNode.Parse(Convert.FromBase64String(payload)) is not JsonObject claims) return new("", "", "");
            var auth = claims["https://api.openai.com/auth"] as JsonObject;
            return new(Text(claims["email"]), Text(auth?["chatgpt_account_id"]), Text(auth?["chatgpt_plan_type"]));
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return new("", "", "");
        }
    }

    /// <summary>The plan as a file-name part: split on every character that is not a letter or digit, lower-cased, joined with <c>-</c> (<c>"ChatGPT Pro+"</c> → <c>chatgpt-pro</c>).</summary>
    public string PlanPart => string.Join('-', Plan.Split(c => !char.IsLetterOrDigit(c)).Select(p => p.ToLowerInvariant()));

    /// <summary>The first 8 hex characters of SHA-256 of the account id ("" without one).</summary>
    public string AccountHash => AccountId.Length == 0 ? "" : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AccountId)))[..8];

    private static string Text(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim() : "";
}

file static class SplitExtensions
{
    public static IEnumerable<string> Split(this string text, Func<char, bool> separator)
    {
        var start = 0;
        for (var i = 0; i <= text.Length; i++)
        {
            if (i < text.Length && !separator(text[i])) continue;
            if (i > start) yield return text[start..i];
            start = i + 1;
        }
    }
}
