using System.Text.Json;

namespace CliProxy.Domain.AuthFiles;

/// <summary>
/// The access token an auth file holds, as <c>/api-call</c> reads it for providers it does not refresh
/// (spec §3.3, "any other provider"): the first non-empty of <c>accessToken</c>, <c>access_token</c>,
/// <c>token</c> (a string, or an object's <c>access_token</c> / <c>accessToken</c>), <c>id_token</c>,
/// <c>cookie</c>, then <c>api_key</c>. Values are trimmed; a value that is not a string is skipped.
/// </summary>
public static class CredentialTokens
{
    /// <summary>The token of the auth file <paramref name="json"/>, or <c>""</c> (also for text that is not a JSON object).</summary>
    public static string AccessToken(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return "";
            foreach (var candidate in Candidates(root))
                if (candidate.Length > 0) return candidate;
            return "";
        }
        catch (JsonException)
        {
            return "";
        }
    }

    private static IEnumerable<string> Candidates(JsonElement root)
    {
        yield return Text(root, "accessToken");
        yield return Text(root, "access_token");
        if (root.TryGetProperty("token", out var token))
        {
            if (token.ValueKind == JsonValueKind.String) yield return token.GetString()!.Trim();
            else if (token.ValueKind == JsonValueKind.Object)
            {
                yield return Text(token, "access_token");
                yield return Text(token, "accessToken");
            }
        }
        yield return Text(root, "id_token");
        yield return Text(root, "cookie");
        yield return Text(root, "api_key");
    }

    private static string Text(JsonElement obj, string name) =>
        obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()!.Trim() : "";
}
