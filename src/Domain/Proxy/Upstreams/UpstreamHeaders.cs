namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>A small ordered header list with set-replaces semantics (case-insensitive names), built per attempt.</summary>
internal sealed class UpstreamHeaders
{
    private readonly List<KeyValuePair<string, string>> _items = new(12);

    /// <summary>Sets <paramref name="name"/> to <paramref name="value"/>, replacing an earlier value.</summary>
    public UpstreamHeaders Set(string name, string value)
    {
        for (var i = 0; i < _items.Count; i++)
        {
            if (!string.Equals(_items[i].Key, name, StringComparison.OrdinalIgnoreCase)) continue;
            _items[i] = new(name, value);
            return this;
        }
        _items.Add(new(name, value));
        return this;
    }

    /// <summary>Applies a credential's configured <c>headers</c> (they win over the executor's, as in the reference).</summary>
    public UpstreamHeaders SetAll(IEnumerable<KeyValuePair<string, string>> headers)
    {
        foreach (var (name, value) in headers)
            if (!string.IsNullOrWhiteSpace(name)) Set(name.Trim(), value);
        return this;
    }

    /// <summary>The headers as the forwarder takes them.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ToList() => _items;

    /// <summary>The first value of <paramref name="name"/> in <paramref name="headers"/>, or null.</summary>
    public static string? Find(IReadOnlyList<KeyValuePair<string, string>> headers, string name)
    {
        foreach (var (key, value) in headers)
            if (string.Equals(key, name, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrWhiteSpace(value)) return value;
        return null;
    }
}
