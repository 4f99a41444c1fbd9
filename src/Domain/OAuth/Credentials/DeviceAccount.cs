using System.Text.Json;
using System.Text.Json.Nodes;

namespace CliProxy.Domain.OAuth.Credentials;

/// <summary>
/// The account a device-code login (Qwen, Kimi) signed in, as a file-name part. Their token answers
/// carry no user info; when the access token is a JWT its claims name the account (<c>email</c>, else
/// <c>user_id</c>, else <c>sub</c>), so logging in again to the same account replaces its file instead
/// of adding a timestamp-named duplicate (the reference's defect §7.13). Without such a claim the
/// reference's millisecond name is kept.
/// </summary>
public static class DeviceAccount
{
    /// <summary>
    /// The account of <paramref name="accessToken"/> (signature not checked: the token came straight from
    /// the token endpoint), reduced to <c>[A-Za-z0-9_@.-]</c> and without <c>..</c>; "" when there is none.
    /// </summary>
    public static string FromAccessToken(string? accessToken)
    {
        var parts = (accessToken ?? "").Split('.');
        if (parts.Length != 3) return "";
        try
        {
            var payload = parts[1].Replace('-', '+').Replace('_', '/');
            payload = payload.PadRight(payload.Length + (4 - payload.Length % 4) % 4, '=');
            if (JsonNode.Parse(Convert.FromBase64String(payload)) is not JsonObject claims) return "";
            foreach (var name in new[] { "email", "user_id", "sub" })
                if (Sanitize(claims[name]) is { Length: > 0 } id) return id;
            return "";
        }
        catch (Exception e) when (e is FormatException or JsonException or ArgumentException)
        {
            return "";
        }
    }

    private static string Sanitize(JsonNode? node)
    {
        var text = node switch
        {
            JsonValue v when v.TryGetValue<string>(out var s) => s,
            JsonValue v when v.GetValueKind() == JsonValueKind.Number => v.ToJsonString(),
            _ => "",
        };
        var kept = new string(text.Trim().Where(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '@' or '.' or '-').ToArray());
        return kept.Replace("..", ".", StringComparison.Ordinal).Trim('.');
    }
}
