using System.Text.Json;
using System.Text.Json.Nodes;
using System.Web;

namespace CliProxy.Domain.OAuth;

/// <summary>
/// A provider's redirect as submitted to <c>POST /oauth-callback</c> (or arriving at a server-root
/// callback route): <c>code</c>, <c>state</c> and <c>error</c> given directly win; missing ones are
/// taken from the query of <c>redirect_url</c> (<c>error</c>, else <c>error_description</c>; the
/// fragment is ignored).
/// </summary>
/// <param name="Provider">The canonical provider, or null when the body named none (the session's is used).</param>
/// <param name="State">The state, trimmed (may be empty: checked by <see cref="Check"/>).</param>
/// <param name="Code">The authorization code, trimmed.</param>
/// <param name="Error">The provider's error, trimmed.</param>
public sealed record CallbackSubmission(string? Provider, string State, string Code, string Error)
{
    /// <summary>Error of a body that is not a JSON object of string fields.</summary>
    public const string InvalidBody = "invalid body";

    /// <summary>Error of a provider that is named but not known.</summary>
    public const string UnsupportedProvider = "unsupported provider";

    /// <summary>Error of a <c>redirect_url</c> that cannot be read.</summary>
    public const string InvalidRedirectUrl = "invalid redirect_url";

    /// <summary>
    /// Reads the JSON body of <c>POST /oauth-callback</c>; returns the submission, or the reference's 400
    /// message in <paramref name="error"/> (checks 2–4 of its table, in order).
    /// </summary>
    public static CallbackSubmission? FromJson(string body, out string? error)
    {
        error = InvalidBody;
        JsonObject? o;
        try
        {
            o = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
        if (o is null) return null;
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in o)
        {
            if (key is not ("provider" or "redirect_url" or "code" or "state" or "error")) continue;
            if (value is null) continue;
            if (value is not JsonValue v || v.GetValueKind() != JsonValueKind.String) return null;
            fields[key] = v.GetValue<string>().Trim();
        }
        var named = fields.GetValueOrDefault("provider", "");
        string? provider = null;
        if (named.Length > 0 && (provider = OAuthProviders.Normalize(named)) is null)
        {
            error = UnsupportedProvider;
            return null;
        }
        var query = new Dictionary<string, string>(StringComparer.Ordinal);
        if (fields.GetValueOrDefault("redirect_url", "") is { Length: > 0 } redirect && !TryReadQuery(redirect, query))
        {
            error = InvalidRedirectUrl;
            return null;
        }
        error = null;
        string Pick(string key) => fields.GetValueOrDefault(key, "") is { Length: > 0 } v ? v : query.GetValueOrDefault(key, "");
        return new CallbackSubmission(provider, Pick("state"), Pick("code"), Pick("error"));
    }

    /// <summary>A submission from query parameters (<c>code</c>, <c>state</c>, <c>error</c> else <c>error_description</c>).</summary>
    public static CallbackSubmission FromQuery(string? provider, Func<string, string?> query)
    {
        var error = (query("error") ?? "").Trim();
        if (error.Length == 0) error = (query("error_description") ?? "").Trim();
        return new CallbackSubmission(provider, (query("state") ?? "").Trim(), (query("code") ?? "").Trim(), error);
    }

    /// <summary>
    /// Checks 5–7 of the reference's table: the reference's 400 message, or null with the valid state.
    /// </summary>
    public string? Check()
    {
        if (State.Length == 0) return "state is required";
        if (!OAuthState.IsValid(State, out _)) return "invalid state";
        if (Code.Length == 0 && Error.Length == 0) return "code or error is required";
        return null;
    }

    private static bool TryReadQuery(string url, Dictionary<string, string> into)
    {
        if (url.Any(char.IsControl)) return false;
        var hash = url.IndexOf('#');
        if (hash >= 0) url = url[..hash];
        var q = url.IndexOf('?');
        if (q < 0) return Uri.TryCreate(url, UriKind.RelativeOrAbsolute, out _);
        var parsed = HttpUtility.ParseQueryString(url[(q + 1)..]);
        foreach (var key in parsed.AllKeys)
            if (key is not null && parsed.GetValues(key)?.FirstOrDefault() is { } value) into[key] = value.Trim();
        if (!into.ContainsKey("error") && into.TryGetValue("error_description", out var description)) into["error"] = description;
        return true;
    }
}
