using System.Collections.Concurrent;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// The parsed upstream URLs of one executor, by (base URL, path): an attempt's URL is the same for every request to a
/// credential, and parsing it (a <see cref="Uri"/> and its parts) on every attempt cost more than the lookup. Bounded:
/// past <see cref="Limit"/> entries (base URLs edited many times over a node's life) it starts over. Thread-safe.
/// </summary>
public sealed class UpstreamUrls
{
    /// <summary>Entries kept before the cache starts over.</summary>
    public const int Limit = 4096;

    private readonly ConcurrentDictionary<(string BaseUrl, string Path), Uri> _urls = new();

    /// <summary>The absolute URL <paramref name="baseUrl"/> + <paramref name="path"/>.</summary>
    /// <exception cref="UriFormatException">The joined text is not an absolute URL (a malformed <c>base-url</c>).</exception>
    public Uri Of(string baseUrl, string path)
    {
        if (_urls.TryGetValue((baseUrl, path), out var url)) return url;
        url = new Uri(baseUrl + path);
        if (_urls.Count >= Limit) _urls.Clear();
        _urls[(baseUrl, path)] = url;
        return url;
    }
}
