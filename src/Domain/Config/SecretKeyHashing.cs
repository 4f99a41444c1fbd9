using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CliProxy.Domain.Config;

/// <summary>
/// Replaces a plaintext <c>remote-management.secret-key</c> by its bcrypt hash (cost 10), changing
/// only that scalar's bytes. Corrections of the reference: only a well-formed bcrypt hash
/// counts as a hash (a plaintext that merely starts with <c>$2a$</c> is hashed), a secret is hashed
/// once when a document is accepted rather than on every load, and a secret over bcrypt's 72-byte
/// limit is refused with the reference's message.
/// </summary>
public static partial class SecretKeyHashing
{
    /// <summary>bcrypt's input limit in bytes.</summary>
    public const int MaxSecretBytes = 72;

    /// <summary>True when <paramref name="value"/> is a complete bcrypt hash (<c>$2a$</c>/<c>$2b$</c>/<c>$2y$</c>).</summary>
    public static bool IsBcryptHash(string value) => BcryptPattern().IsMatch(value);

    /// <summary>
    /// Returns <paramref name="document"/> unchanged when it has no plaintext secret, else the
    /// document with the secret hashed. Throws <see cref="ConfigLoadException"/> for a secret over
    /// 72 bytes (<c>failed to hash remote management key: bcrypt: password length exceeds 72 bytes</c>).
    /// </summary>
    public static ConfigDocument HashPlaintextSecret(ConfigDocument document)
    {
        var secret = document.RemoteManagement.SecretKey;
        if (secret.Length == 0 || IsBcryptHash(secret)) return document;
        if (Encoding.UTF8.GetByteCount(secret) > MaxSecretBytes)
            throw new ConfigLoadException("failed to hash remote management key: bcrypt: password length exceeds 72 bytes");
        var hash = BCrypt.Net.BCrypt.HashPassword(secret, workFactor: 10);
        // Only the remote-management block is rewritten and decoded again.
        return document.Edit([(SecretPath, JsonValue.Create(hash), false)]);
    }

    private static readonly string[] SecretPath = ["remote-management", "secret-key"];

    [GeneratedRegex(@"^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$")]
    private static partial Regex BcryptPattern();
}
