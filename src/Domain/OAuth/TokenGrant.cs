using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CliProxy.Domain.OAuth;

/// <summary>The fields of a token endpoint's answer that the logins use (RFC 6749 §5.1).</summary>
/// <param name="AccessToken">"" when absent.</param>
/// <param name="RefreshToken">"" when absent.</param>
/// <param name="TokenType">"" when absent.</param>
/// <param name="ExpiresIn">Lifetime in seconds (0 when absent).</param>
/// <param name="IdToken">OpenID id_token ("" when absent).</param>
/// <param name="Scope">"" when absent.</param>
/// <param name="Raw">The whole answer, for provider-specific fields.</param>
public sealed record TokenGrant(string AccessToken, string RefreshToken, string TokenType, long ExpiresIn, string IdToken, string Scope, JsonObject Raw)
{
    /// <summary>Reads <paramref name="answer"/> (numbers may come as strings).</summary>
    public static TokenGrant From(JsonObject answer) => new(
        Text(answer, "access_token"), Text(answer, "refresh_token"), Text(answer, "token_type"),
        Number(answer, "expires_in"), Text(answer, "id_token"), Text(answer, "scope"), answer);

    /// <summary>A string field of <paramref name="o"/>, trimmed; "" when absent or not a string.</summary>
    public static string Text(JsonObject? o, string key) =>
        o?[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>().Trim() : "";

    /// <summary>An integer field of <paramref name="o"/> (a JSON number or a numeric string); 0 otherwise.</summary>
    public static long Number(JsonObject? o, string key) => o?[key] switch
    {
        JsonValue v when v.GetValueKind() == JsonValueKind.Number => long.TryParse(v.ToJsonString(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var l)
            ? l
            : (long)double.Parse(v.ToJsonString(), CultureInfo.InvariantCulture),
        JsonValue v when v.GetValueKind() == JsonValueKind.String && long.TryParse(v.GetValue<string>(), out var s) => s,
        _ => 0,
    };
}
