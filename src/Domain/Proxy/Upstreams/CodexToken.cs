using System.Buffers.Text;
using System.Text.Json;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// Reads the ChatGPT account id from a Codex OAuth access token (a JWT whose payload carries
/// <c>"https://api.openai.com/auth": {"chatgpt_account_id": …}</c>), so the executor needs no auth-file metadata.
/// The signature is not checked: the token is ours and the upstream verifies it.
/// </summary>
public static class CodexToken
{
    /// <summary>The account id in <paramref name="accessToken"/>, or null when it is no JWT or has none.</summary>
    public static string? AccountId(string accessToken)
    {
        var parts = accessToken.Split('.');
        if (parts.Length != 3) return null;
        try
        {
            var payload = Base64Url.DecodeFromChars(parts[1]);
            using var doc = JsonDocument.Parse(payload);
            return doc.RootElement.TryGetProperty("https://api.openai.com/auth", out var auth)
                && auth.ValueKind == JsonValueKind.Object
                && auth.TryGetProperty("chatgpt_account_id", out var id)
                && id.ValueKind == JsonValueKind.String
                && id.GetString() is { Length: > 0 } value ? value : null;
        }
        catch (Exception e) when (e is FormatException or JsonException)
        {
            return null;
        }
    }
}
