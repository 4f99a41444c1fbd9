using System.Security.Cryptography;
using System.Text;

namespace CliProxy.Domain.AuthFiles;

/// <summary>
/// <c>auth_index</c>: the first 16 hex characters of SHA-256 of the seed. Every file
/// credential, however it arrived, uses the seed <c>file:&lt;file name&gt;</c>, so the index is
/// the same on every node and after every restart (the reference derived it differently by how the
/// credential was loaded, so it could change).
/// </summary>
public static class AuthIndex
{
    /// <summary>The index of the file credential <paramref name="fileName"/>, e.g. <c>e59d1dab60a10e70</c>.</summary>
    public static string ForFile(string fileName) => Of("file:" + fileName);

    /// <summary>The index of an arbitrary seed.</summary>
    public static string Of(string seed) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..16];
}
