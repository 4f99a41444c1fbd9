using System.Security.Cryptography;
using System.Text;

namespace CliProxy.Domain.Config;

/// <summary>Strong entity tags of config texts: a quoted SHA-256 prefix of the UTF-8 bytes.</summary>
public static class ConfigETag
{
    /// <summary>The ETag of <paramref name="text"/>, e.g. <c>"3f2a…"</c> (16 hex digits, quoted).</summary>
    public static string Of(string text) => "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)))[..16] + "\"";
}
