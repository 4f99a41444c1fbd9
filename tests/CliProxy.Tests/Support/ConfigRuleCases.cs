namespace CliProxy.Tests.Support;

/// <summary>
/// One rule a single-value management route enforces on a value, with a value that breaks it:
/// the route and JSON body that send it (refused with <c>400 {"error": RouteError}</c>), and the
/// same value as a top-level YAML block (<paramref name="YamlKey"/> replaced by <paramref name="YamlBlock"/>)
/// that a whole document or a hand edit may bring; <paramref name="Message"/> names the key.
/// </summary>
public sealed record ConfigRuleCase(string Name, string Route, string RouteBody, string RouteError, string YamlKey, string YamlBlock, string Message)
{
    /// <inheritdoc />
    public override string ToString() => Name;

    /// <summary>Every rule of the scalar and provider-list routes (the other config routes normalise without refusing).</summary>
    public static IReadOnlyList<ConfigRuleCase> All { get; } = Build();

    /// <summary>Finds a case by name.</summary>
    public static ConfigRuleCase Of(string name) => All.Single(c => c.Name == name);

    /// <summary>Rows (case name) for a theory.</summary>
    public static TheoryData<string> Names()
    {
        var data = new TheoryData<string>();
        foreach (var c in All) data.Add(c.Name);
        return data;
    }

    /// <summary>
    /// <paramref name="text"/> with the top-level key <paramref name="key"/> (its line and the
    /// indented lines below it) replaced by <paramref name="block"/>, or with the block appended.
    /// </summary>
    public static string WithTopLevel(string text, string key, string block)
    {
        var lines = text.Split('\n').ToList();
        var at = lines.FindIndex(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        if (at < 0) return text.TrimEnd('\n') + "\n" + block;
        var end = at + 1;
        while (end < lines.Count && (lines[end].StartsWith(' ') || lines[end].StartsWith('-'))) end++;
        lines.RemoveRange(at, end - at);
        lines.InsertRange(at, block.TrimEnd('\n').Split('\n'));
        return string.Join('\n', lines);
    }

    private static List<ConfigRuleCase> Build()
    {
        var cases = new List<ConfigRuleCase>
        {
            new("request-retry negative", "/request-retry", """{"value":-1}""", "value must not be negative",
                "request-retry", "request-retry: -1\n", "request-retry: value must not be negative"),
            new("max-retry-interval negative", "/max-retry-interval", """{"value":-30}""", "value must not be negative",
                "max-retry-interval", "max-retry-interval: -30\n", "max-retry-interval: value must not be negative"),
            new("routing.strategy unknown", "/routing/strategy", """{"value":"random"}""", "invalid strategy",
                "routing", "routing:\n  strategy: random\n", "routing.strategy: invalid strategy"),
        };
        // (list key, id field, base-url required); an entry is valid with its id and a base-url.
        (string Key, string Id, bool NeedsBaseUrl)[] lists =
        [
            ("gemini-api-key", "api-key", false), ("claude-api-key", "api-key", false), ("codex-api-key", "api-key", true),
            ("openai-compatibility", "name", true), ("vertex-api-key", "api-key", true),
        ];
        foreach (var (key, id, needsBaseUrl) in lists)
        {
            const string url = "\"base-url\":\"https://rule.example\"";
            void Add(string rule, string entries, string message) =>
                cases.Add(new($"{key} {rule}", "/" + key, entries, message, key, $"{key}: {entries}\n", message));
            Add($"without {id}", $$"""[{"{{id}}":"  ",{{url}}}]""", $"{key}[0]: {id} is required");
            if (needsBaseUrl) Add("without base-url", $$"""[{"{{id}}":"rule-id"}]""", $"{key}[0]: base-url is required");
            Add("prefix with a slash", $$"""[{"{{id}}":"rule-id",{{url}},"prefix":"a/b"}]""", $"{key}[0]: prefix must not contain '/'");
            Add("duplicate entry", $$"""[{"{{id}}":"rule-id",{{url}}},{"{{id}}":"rule-id",{{url}}}]""",
                $"{key}[1]: duplicate of {key}[0] (same {id} and base-url)");
        }
        return cases;
    }
}
