using System.Text.RegularExpressions;

namespace CliProxy.Tests.Gateway.Metrics;

/// <summary>One sample line of the Prometheus text format: the series name, its labels and the value.</summary>
public sealed record Sample(string Name, IReadOnlyDictionary<string, string> Labels, string Value);

/// <summary>Reads the samples of a Prometheus text exposition (enough for tests: label values without escaped quotes).</summary>
public static partial class PrometheusText
{
    [GeneratedRegex("""^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)""")]
    private static partial Regex SampleLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="([^"]*)",?""")]
    private static partial Regex Label();

    /// <summary>The samples of <paramref name="text"/>.</summary>
    public static IReadOnlyList<Sample> Parse(string text) =>
    [
        .. from line in text.Split('\n')
           let m = SampleLine().Match(line)
           where m.Success
           select new Sample(m.Groups[1].Value, Label().Matches(m.Groups[2].Value).ToDictionary(l => l.Groups[1].Value, l => l.Groups[2].Value), m.Groups[3].Value),
    ];

    /// <summary>The samples named <paramref name="name"/> whose labels include every one of <paramref name="labels"/>.</summary>
    public static IReadOnlyList<Sample> Find(this IReadOnlyList<Sample> samples, string name, params (string Name, string Value)[] labels) =>
        [.. samples.Where(s => s.Name == name && labels.All(l => s.Labels.TryGetValue(l.Name, out var v) && v == l.Value))];

    /// <summary>Asserts that one sample named <paramref name="name"/> has <paramref name="labels"/> (and maybe more) and returns its value.</summary>
    public static string Single(this IReadOnlyList<Sample> samples, string name, params (string Name, string Value)[] labels)
    {
        var found = samples.Find(name, labels);
        Assert.True(found.Count == 1, $"{found.Count} samples {name}{{{string.Join(",", labels.Select(l => $"{l.Name}=\"{l.Value}\""))}}} among:\n"
            + string.Join("\n", samples.Where(s => s.Name == name).Select(s => string.Join(",", s.Labels.Select(l => $"{l.Key}={l.Value}")))));
        return found[0].Value;
    }
}
