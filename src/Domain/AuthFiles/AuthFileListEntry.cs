using System.Text.Json;

namespace CliProxy.Domain.AuthFiles;

/// <summary>
/// One entry of <c>GET /auth-files</c> with the later additions <c>prefix</c>,
/// <c>proxy_url</c>, <c>priority</c> and <c>note</c>, written straight to a JSON writer (a list
/// of 10,000 credentials is several MB; no intermediate tree is built). Times are ISO-8601 with offset.
/// </summary>
public static class AuthFileListEntry
{
    /// <summary>
    /// Writes the entry of <paramref name="s"/>; <paramref name="authDirectory"/> gives its <c>path</c>; <paramref name="more"/>
    /// writes what the caller adds at the end of the object (the credential's attempt counts).
    /// </summary>
    public static void Write(Utf8JsonWriter w, AuthFileSummary s, string authDirectory, Action<Utf8JsonWriter>? more = null)
    {
        w.WriteStartObject();
        w.WriteString("id", s.Name);
        w.WriteString("auth_index", s.AuthIndex);
        w.WriteString("name", s.Name);
        w.WriteString("type", s.Provider);
        w.WriteString("provider", s.Provider);
        w.WriteString("label", s.Label);
        w.WriteString("status", s.Status);
        w.WriteString("status_message", s.StatusMessage);
        w.WriteBoolean("disabled", s.Disabled);
        w.WriteBoolean("unavailable", false);
        w.WriteBoolean("runtime_only", false);
        w.WriteString("source", "file");
        w.WriteNumber("size", s.Size);
        if (s.Email.Length > 0)
        {
            w.WriteString("email", s.Email);
            w.WriteString("account_type", "oauth");
            w.WriteString("account", s.Provider == "gemini-cli" && s.ProjectId.Length > 0 ? $"{s.Email} ({s.ProjectId})" : s.Email);
        }
        w.WriteString("created_at", s.CreatedAt);
        w.WriteString("modtime", s.UpdatedAt);
        w.WriteString("updated_at", s.UpdatedAt);
        if (s.LastRefresh is { } refreshed) w.WriteString("last_refresh", refreshed);
        w.WriteString("path", Path.Combine(authDirectory, s.Name));
        if (s.IdTokenClaims is not null)
        {
            w.WritePropertyName("id_token");
            w.WriteRawValue(s.IdTokenClaims, skipInputValidation: true);
        }
        w.WriteString("prefix", s.Prefix);
        w.WriteString("proxy_url", s.ProxyUrl);
        w.WriteNumber("priority", s.Priority ?? 0);
        w.WriteString("note", s.Note);
        more?.Invoke(w);
        w.WriteEndObject();
    }
}
