using CliProxy.Domain.AuthFiles;

namespace CliProxy.Gateway.Hosting;

/// <summary>Lists the credential files directly inside <c>auth-dir</c> with their size and time stamp.</summary>
public interface IAuthDirScanner
{
    /// <summary>
    /// File name → (size in bytes, last write time UTC) of every file with a usable credential name;
    /// empty when the folder is missing. A file deleted while the folder is read is left out.
    /// </summary>
    Dictionary<string, (long Size, DateTime Written)> Scan();
}

/// <summary>The <see cref="IAuthDirScanner"/> of a folder on disk.</summary>
public sealed class AuthDirScanner(string authDirectory) : IAuthDirScanner
{
    /// <inheritdoc />
    public Dictionary<string, (long Size, DateTime Written)> Scan()
    {
        var result = new Dictionary<string, (long, DateTime)>(StringComparer.Ordinal);
        if (!Directory.Exists(authDirectory)) return result;
        foreach (var info in new DirectoryInfo(authDirectory).EnumerateFiles())
        {
            if (AuthFileName.Validate(info.Name, out _) is not null) continue;
            try
            {
                // Listing and reading the size are two steps: a file deleted in between is simply gone.
                result[info.Name] = (info.Length, info.LastWriteTimeUtc);
            }
            catch (FileNotFoundException)
            {
            }
        }
        return result;
    }
}
