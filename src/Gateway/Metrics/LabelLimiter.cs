using System.Collections.Concurrent;

namespace CliProxy.Gateway.Metrics;

/// <summary>
/// Keeps one label's values bounded: the first <c>capacity</c> distinct values (after <c>transform</c>, cut to
/// <see cref="MaxLength"/> characters) are kept, every later new value becomes <see cref="Other"/>, so a client that
/// sends a thousand made-up model names (or keys) cannot make a thousand series. Empty values become
/// <see cref="Empty"/>. Thread-safe; a known value costs one dictionary lookup.
/// </summary>
public sealed class LabelLimiter
{
    /// <summary>The value of every value past the capacity.</summary>
    public const string Other = "other";

    /// <summary>The value of an empty value.</summary>
    public const string Empty = "none";

    /// <summary>Longest label value kept (longer values are cut).</summary>
    public const int MaxLength = 128;

    private readonly ConcurrentDictionary<string, string> _labels = new(StringComparer.Ordinal);
    private readonly int _capacity;
    private readonly Func<string, string> _transform;
    private int _count;

    /// <summary>A limiter of <paramref name="capacity"/> distinct values; <paramref name="transform"/> turns a value into its label (default: the value).</summary>
    public LabelLimiter(int capacity, Func<string, string>? transform = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _capacity = capacity;
        _transform = transform ?? (v => v);
    }

    /// <summary>The label of <paramref name="value"/>.</summary>
    public string Label(string? value)
    {
        if (string.IsNullOrEmpty(value)) return Empty;
        if (_labels.TryGetValue(value, out var label)) return label;
        if (Volatile.Read(ref _count) >= _capacity) return Other;
        label = _transform(value);
        if (label.Length > MaxLength) label = label[..MaxLength];
        if (_labels.TryAdd(value, label)) Interlocked.Increment(ref _count);
        return label;
    }
}
