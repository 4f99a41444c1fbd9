using System.Security.Cryptography;

namespace CliProxy.Domain.OAuth;

/// <summary>
/// The <c>state</c> of a login: 128 random bits as 32 lower-case hex characters for every provider
/// (the reference used guessable timestamps for Gemini, Qwen, Kimi and iFlow), and the reference's
/// validation of states received from clients.
/// </summary>
public static class OAuthState
{
    /// <summary>Longest accepted state, in bytes.</summary>
    public const int MaxLength = 128;

    /// <summary>A new random state.</summary>
    public static string New() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// True when <paramref name="raw"/>, trimmed into <paramref name="state"/>, is non-empty, at most
    /// <see cref="MaxLength"/> bytes, without <c>..</c>, and only of <c>[A-Za-z0-9._-]</c>.
    /// </summary>
    public static bool IsValid(string? raw, out string state)
    {
        state = (raw ?? "").Trim();
        if (state.Length is 0 or > MaxLength || state.Contains("..", StringComparison.Ordinal)) return false;
        foreach (var c in state)
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('.' or '_' or '-')) return false;
        return true;
    }
}
