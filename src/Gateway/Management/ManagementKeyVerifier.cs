using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace CliProxy.Gateway.Management;

/// <summary>
/// Checks a presented management key, in the reference's order: the local password (loopback
/// clients only), <c>MANAGEMENT_PASSWORD</c>, then the bcrypt hash of
/// <c>remote-management.secret-key</c>. Plain secrets are compared in constant time. A successful
/// bcrypt check is remembered per (hash, key digest), so a client that presents the right key
/// pays the bcrypt cost once, not on every request; failures are never cached.
/// </summary>
public sealed class ManagementKeyVerifier(ManagementSecrets secrets)
{
    private const int MaxRemembered = 1024;
    private readonly ConcurrentDictionary<(string Hash, UInt128 Digest), byte> _verified = new();

    /// <summary>True when <paramref name="key"/> is accepted for a client that is <paramref name="local"/> or not.</summary>
    public bool Verify(string key, string secretHash, bool local)
    {
        if (local && secrets.LocalPassword.Length > 0 && SameText(key, secrets.LocalPassword)) return true;
        if (secrets.EnvironmentSecret.Length > 0 && SameText(key, secrets.EnvironmentSecret)) return true;
        if (secretHash.Length == 0) return false;
        Span<byte> digest = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), digest);
        var remembered = (secretHash, System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(digest) ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt128LittleEndian(digest[16..]));
        if (_verified.ContainsKey(remembered)) return true;
        bool ok;
        try
        {
            ok = BCrypt.Net.BCrypt.Verify(key, secretHash);
        }
        catch (Exception e) when (e is BCrypt.Net.SaltParseException or ArgumentException)
        {
            ok = false;
        }
        if (ok)
        {
            if (_verified.Count >= MaxRemembered) _verified.Clear();
            _verified.TryAdd(remembered, 0);
        }
        return ok;
    }

    private static bool SameText(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));
}

/// <summary>
/// Management secrets that come from the process rather than the config document.
/// </summary>
/// <param name="EnvironmentSecret"><c>MANAGEMENT_PASSWORD</c>, trimmed, read once at start (<c>""</c> when unset).</param>
/// <param name="LocalPassword">The <c>--password</c> command-line value (<c>""</c> when unset); loopback clients only.</param>
public sealed record ManagementSecrets(string EnvironmentSecret, string LocalPassword);
