using System.Collections.Immutable;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace CliProxy.Domain.AuthFiles;

/// <summary>
/// A list of model-name patterns such as an <c>excluded_models</c> list: case-insensitive, <c>*</c>
/// matches any run of characters, the whole name must match. Patterns are kept trimmed, without
/// empty ones, in their given order. Immutable, with value equality (two lists with the same
/// patterns are equal), so a record holding one compares by content.
/// </summary>
public sealed class ModelPatterns : IEquatable<ModelPatterns>
{
    private readonly Lazy<Regex[]> _regexes;

    /// <summary>No pattern: matches nothing.</summary>
    public static readonly ModelPatterns None = new([]);

    private ModelPatterns(ImmutableArray<string> patterns)
    {
        Patterns = patterns;
        _regexes = new Lazy<Regex[]>(() => [.. patterns.Select(p =>
            new Regex("^" + Regex.Escape(p).Replace("\\*", ".*") + "$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant))]);
    }

    /// <summary>The patterns, trimmed, non-empty, in order.</summary>
    public ImmutableArray<string> Patterns { get; }

    /// <summary>The patterns of <paramref name="patterns"/> (trimmed; empty ones dropped).</summary>
    public static ModelPatterns Of(IEnumerable<string> patterns)
    {
        var kept = patterns.Select(p => p.Trim()).Where(p => p.Length > 0).ToImmutableArray();
        return kept.IsEmpty ? None : new ModelPatterns(kept);
    }

    /// <summary>The string items of a JSON array (other items and any other node: none).</summary>
    public static ModelPatterns Of(JsonNode? list) =>
        Of((list as JsonArray)?.OfType<JsonValue>().Select(v => v.ToString()) ?? []);

    /// <summary>True when a pattern matches the whole of <paramref name="model"/>.</summary>
    public bool Matches(string model) => _regexes.Value.Any(r => r.IsMatch(model));

    /// <inheritdoc />
    public bool Equals(ModelPatterns? other) => other is not null && Patterns.SequenceEqual(other.Patterns, StringComparer.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as ModelPatterns);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var p in Patterns) hash.Add(p, StringComparer.Ordinal);
        return hash.ToHashCode();
    }

    /// <inheritdoc />
    public override string ToString() => "[" + string.Join(", ", Patterns) + "]";
}
