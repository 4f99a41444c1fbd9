using CliProxy.Domain.Errors;

namespace CliProxy.Domain.AuthFiles;

/// <summary>
/// Validation of credential file names, stricter than the reference (which let some names escape
/// the folder): a name is trimmed and must be a plain file name inside <c>auth-dir</c> — not empty,
/// no <c>/</c> or <c>\</c> on any OS, no <c>..</c>, no drive or volume prefix, no control
/// characters — and must end with <c>.json</c> (any case).
/// </summary>
public static class AuthFileName
{
    /// <summary>
    /// Checks <paramref name="raw"/>; returns the refusal (<see cref="Refusals.InvalidName"/> or
    /// <see cref="Refusals.NameMustEndWithJson"/>), or null with the trimmed name in <paramref name="name"/>.
    /// </summary>
    public static Refusal? Validate(string? raw, out string name)
    {
        name = (raw ?? "").Trim();
        if (name.Length == 0 || name.Contains('/') || name.Contains('\\') || name.Contains("..", StringComparison.Ordinal)
            || name.Contains(':') || name.Any(char.IsControl) || Path.IsPathRooted(name))
            return Refusals.InvalidName;
        return name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? null : Refusals.NameMustEndWithJson;
    }

    /// <summary>
    /// The full path of <paramref name="name"/> (already validated) inside <paramref name="directory"/>;
    /// throws when the result would not be a direct child of the directory.
    /// </summary>
    public static string PathIn(string directory, string name)
    {
        var dir = Path.GetFullPath(directory);
        var path = Path.GetFullPath(Path.Combine(dir, name));
        if (!string.Equals(Path.GetDirectoryName(path), dir.TrimEnd(Path.DirectorySeparatorChar), StringComparison.Ordinal))
            throw new ArgumentException($"'{name}' is not a file name inside the auth directory", nameof(name));
        return path;
    }
}
