using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Schema;
using static CliProxy.Domain.Config.Normalization.FieldNormalizer;

namespace CliProxy.Domain.Config.Normalization;

/// <summary>
/// One provider credential list: its YAML key, entry schema, the field that identifies
/// an entry (<c>api-key</c>, or <c>name</c> for openai-compatibility), the PATCH selector and
/// DELETE parameter names, and its field rules. The reference treats the five lists
/// inconsistently (different trimming, validation and DELETE answers per list); here every list follows the same rules, parameterised only by
/// what genuinely differs: whether <c>base-url</c> is required and how model aliases are checked.
/// </summary>
public sealed record ProviderList(
    string Key,
    ObjectSchema Schema,
    string IdField,
    string SelectorField,
    bool RequiresBaseUrl,
    bool ModelsRequireBoth)
{
    /// <summary><c>gemini-api-key</c>.</summary>
    public static readonly ProviderList Gemini = new("gemini-api-key", ConfigSchemas.GeminiKey, "api-key", "match", false, false);

    /// <summary><c>claude-api-key</c>.</summary>
    public static readonly ProviderList Claude = new("claude-api-key", ConfigSchemas.ClaudeKey, "api-key", "match", false, false);

    /// <summary><c>codex-api-key</c>.</summary>
    public static readonly ProviderList Codex = new("codex-api-key", ConfigSchemas.CodexKey, "api-key", "match", true, false);

    /// <summary><c>openai-compatibility</c>.</summary>
    public static readonly ProviderList OpenAICompatibility = new("openai-compatibility", ConfigSchemas.OpenAICompatibility, "name", "name", true, false);

    /// <summary><c>vertex-api-key</c>.</summary>
    public static readonly ProviderList Vertex = new("vertex-api-key", ConfigSchemas.VertexKey, "api-key", "match", true, true);

    /// <summary>All five lists.</summary>
    public static IReadOnlyList<ProviderList> All { get; } = [Gemini, Claude, Codex, OpenAICompatibility, Vertex];

    /// <summary>Field kind of one entry.</summary>
    public FieldKind EntryKind => FieldKind.Object(Schema);

    /// <summary>Message for a missing DELETE selector.</summary>
    public string MissingSelectorMessage => IdField == "name" ? "missing name or index" : "missing api-key or index";

    /// <summary>
    /// Normalises one entry (trims, prefix, headers, excluded models, models) and checks
    /// it. Returns the problem in words, or null when the entry is valid.
    /// </summary>
    public string? Normalize(JsonObject entry, out JsonObject normalized)
    {
        normalized = (JsonObject)entry.DeepClone();
        foreach (var key in new[] { IdField, "base-url", "proxy-url" })
            if (normalized.ContainsKey(key)) normalized[key] = Str(normalized, key).Trim();
        string? problem = null;
        if (normalized.ContainsKey("prefix"))
        {
            var prefix = Prefix(Str(normalized, "prefix"));
            if (prefix is null) problem = "prefix must not contain '/'";
            normalized["prefix"] = prefix ?? "";
        }
        Put(normalized, "headers", Headers(normalized["headers"]));
        if (Schema.Find("excluded-models") is not null) Put(normalized, "excluded-models", ExcludedModels(normalized["excluded-models"]));
        if (normalized.ContainsKey("models")) Put(normalized, "models", Models(normalized["models"], ModelsRequireBoth));
        if (normalized["api-key-entries"] is JsonArray keys)
            foreach (var k in keys.OfType<JsonObject>()) k["api-key"] = Str(k, "api-key").Trim();
        if (Str(normalized, IdField).Length == 0) return IdField + " is required";
        if (RequiresBaseUrl && Str(normalized, "base-url").Length == 0) return "base-url is required";
        return problem;
    }

    /// <summary>What makes two entries the same credential: the id plus the base URL.</summary>
    public string Identity(JsonObject entry) => Str(entry, IdField) + "|" + Str(entry, "base-url");

    /// <summary>The refusal of entry <paramref name="index"/> as a repeat of entry <paramref name="first"/> (same id and base-url).</summary>
    public string DuplicateMessage(int index, int first) => $"{Key}[{index}]: duplicate of {Key}[{first}] (same {IdField} and base-url)";

    /// <summary>
    /// Load-time sanitiser: normalises every entry with the rules of the list's route. Each entry
    /// the route would refuse (a problem of <see cref="Normalize"/>, or a repeat of an earlier
    /// entry's identity) is reported in <paramref name="violations"/> with the route's message; the
    /// returned list is what the reference keeps (such entries dropped, a bad prefix cleared), which
    /// matters only for a stored document loaded despite its violations.
    /// </summary>
    public JsonArray Sanitize(JsonArray entries, List<string> violations)
    {
        var result = new JsonArray();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < entries.Count; i++)
        {
            if (entries[i] is not JsonObject e) continue;
            var problem = Normalize(e, out var n);
            if (problem is not null)
            {
                violations.Add($"{Key}[{i}]: {problem}");
                if (!problem.StartsWith("prefix", StringComparison.Ordinal)) continue;
            }
            if (seen.TryGetValue(Identity(n), out var first))
            {
                violations.Add(DuplicateMessage(i, first));
                continue;
            }
            seen[Identity(n)] = i;
            result.Add(n);
        }
        return result;
    }
}
