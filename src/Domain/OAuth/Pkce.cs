using System.Security.Cryptography;
using System.Text;

namespace CliProxy.Domain.OAuth;

/// <summary>A PKCE pair (RFC 7636, method <c>S256</c>): the verifier kept by the session and its challenge sent in the authorize URL.</summary>
/// <param name="Verifier">Unpadded base64url of random bytes.</param>
/// <param name="Challenge">Unpadded base64url of SHA-256(<paramref name="Verifier"/>).</param>
public sealed record Pkce(string Verifier, string Challenge)
{
    /// <summary>A new pair from <paramref name="randomBytes"/> random bytes (96 for Claude and Codex: a 128-character verifier; 32 for Qwen).</summary>
    public static Pkce Create(int randomBytes = 96) => FromVerifier(Base64Url(RandomNumberGenerator.GetBytes(randomBytes)));

    /// <summary>The pair of a given verifier.</summary>
    public static Pkce FromVerifier(string verifier) => new(verifier, ChallengeOf(verifier));

    /// <summary>Unpadded base64url of SHA-256 of the verifier's ASCII bytes.</summary>
    public static string ChallengeOf(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
