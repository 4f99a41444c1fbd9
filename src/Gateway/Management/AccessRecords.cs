using System.Collections.Concurrent;
using CliProxy.Abstractions.Access;

namespace CliProxy.Gateway.Management;

/// <summary>
/// The access records this node has seen (announced by the feed, or read from their grains), with
/// the time each was seen. Thread-safe; at most <see cref="MaxEntries"/> addresses (then it starts
/// over empty, so a flood of addresses costs grain calls, not memory).
/// </summary>
public sealed class AccessRecords
{
    /// <summary>Most addresses kept.</summary>
    public const int MaxEntries = 10_000;

    private readonly ConcurrentDictionary<string, (AccessStatus Status, DateTimeOffset Seen)> _records = new(StringComparer.Ordinal);

    /// <summary>The record of <paramref name="address"/> if it was seen at or after <paramref name="seenSince"/>, else null.</summary>
    public AccessStatus? Find(string address, DateTimeOffset seenSince) =>
        _records.TryGetValue(address, out var e) && e.Seen >= seenSince ? e.Status : null;

    /// <summary>Keeps <paramref name="status"/> as the record of <paramref name="address"/>, seen at <paramref name="seen"/>; returns this.</summary>
    public AccessRecords Remember(string address, AccessStatus status, DateTimeOffset seen)
    {
        if (_records.Count >= MaxEntries) _records.Clear();
        _records[address] = (status, seen);
        return this;
    }
}
