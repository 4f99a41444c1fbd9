using System.Text.Json.Nodes;
using CliProxy.Abstractions.AuthFiles;

namespace CliProxy.Grains.AuthFiles;

/// <summary>
/// One entry of <c>GET /auth-files</c> (spec §4.1) with the later additions <c>prefix</c>,
/// <c>proxy_url</c>, <c>priority</c> and <c>note</c>. Times are ISO-8601 with offset.
/// </summary>
public static class AuthFileListEntry
{
    /// <summary>The entry of <paramref name="s"/>; <paramref name="authDirectory"/> gives its <c>path</c>.</summary>
    public static JsonObject ToJson(AuthFileSummary s, string authDirectory)
    {
        var entry = new JsonObject
        {
            ["id"] = s.Name,
            ["auth_index"] = s.AuthIndex,
            ["name"] = s.Name,
            ["type"] = s.Provider,
            ["provider"] = s.Provider,
            ["label"] = s.Label,
            ["status"] = s.Status,
            ["status_message"] = s.StatusMessage,
            ["disabled"] = s.Disabled,
            ["unavailable"] = false,
            ["runtime_only"] = false,
            ["source"] = "file",
            ["size"] = s.Size,
        };
        if (s.Email.Length > 0)
        {
            entry["email"] = s.Email;
            entry["account_type"] = "oauth";
            entry["account"] = s.Provider == "gemini-cli" && s.ProjectId.Length > 0 ? $"{s.Email} ({s.ProjectId})" : s.Email;
        }
        entry["created_at"] = s.CreatedAt;
        entry["modtime"] = s.UpdatedAt;
        entry["updated_at"] = s.UpdatedAt;
        if (s.LastRefresh is { } refreshed) entry["last_refresh"] = refreshed;
        entry["path"] = Path.Combine(authDirectory, s.Name);
        if (s.IdTokenClaims is not null) entry["id_token"] = JsonNode.Parse(s.IdTokenClaims);
        entry["prefix"] = s.Prefix;
        entry["proxy_url"] = s.ProxyUrl;
        entry["priority"] = s.Priority ?? 0;
        entry["note"] = s.Note;
        return entry;
    }
}
