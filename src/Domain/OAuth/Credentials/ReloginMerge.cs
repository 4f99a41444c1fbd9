using CliProxy.Domain.AuthFiles;

namespace CliProxy.Domain.OAuth.Credentials;

/// <summary>
/// Logging in again to an account whose credential exists: the login's fields (tokens, identity,
/// expiry) replace the stored ones, and everything an operator set is kept — the keys of
/// <see cref="OperatorKeys"/> keep their stored values even when the login writes them (an
/// Antigravity login writes <c>disabled:false</c>; a disabled credential stays disabled), and any
/// other key the login does not write stays as it was. The reference overwrote the whole file.
/// </summary>
public static class ReloginMerge
{
    /// <summary>Keys an operator sets through the management API or by hand.</summary>
    public static IReadOnlySet<string> OperatorKeys { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        "disabled", "prefix", "proxy_url", "priority", "note", "weight", "headers", "excluded_models", "excluded-models",
        "models", "websockets", "thinking", "request_retry", "disable_cooling", "label",
    };

    /// <summary>
    /// The text to store: <paramref name="login"/> (in its own layout) with the stored credential's
    /// operator keys and extra keys merged in; <paramref name="login"/> unchanged when nothing is stored
    /// or the stored text is not a JSON object.
    /// </summary>
    public static string Merge(string? stored, string login)
    {
        if (stored is null || JsonText.ParseObject(stored) is not { } old) return login;
        return JsonText.Edit(login, fresh =>
        {
            foreach (var (key, value) in old)
                if (OperatorKeys.Contains(key) || !fresh.ContainsKey(key)) fresh[key] = value?.DeepClone();
        });
    }
}
