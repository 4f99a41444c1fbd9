using System.Security.Cryptography;
using System.Text;

namespace CliProxy.Gateway.Metrics;

/// <summary>
/// The <c>client</c> label of the proxy's metrics: <c>key-</c> and the first 8 hex digits of the SHA-256 of the
/// client key (e.g. <c>key-1a2b3c4d</c>), <c>none</c> for a request without a key (an open proxy). The same key gives
/// the same label on every node and after restarts, so a dashboard can follow one client; the label reveals no
/// character of the key (a masked form such as <c>sk-a...9xyz</c> would show eight), and 32 bits of a hash are
/// enough to tell a deployment's keys apart. To find which key a label stands for, hash the configured keys
/// (<c>printf %s "$KEY" | sha256sum | cut -c1-8</c>).
/// </summary>
public static class ClientKeyLabel
{
    /// <summary>The label of a request that presented no key.</summary>
    public const string None = "none";

    /// <summary>The label of <paramref name="clientKey"/>.</summary>
    public static string Of(string clientKey)
    {
        if (string.IsNullOrEmpty(clientKey)) return None;
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(clientKey);
        SHA256.HashData(bytes, hash);
        return "key-" + Convert.ToHexStringLower(hash[..4]);
    }
}
