using System.Text.Json.Nodes;
using CliProxy.Domain.Config;
using CliProxy.Domain.Config.Resources;

namespace CliProxy.Tests.Domain.Config;

/// <summary>Runs a resource edit the way the config grain does (validate, apply to a working copy, render once), without a silo.</summary>
internal static class ConfigEditHarness
{
    /// <summary>Applies one edit; returns the outcome and the new text (the old text when refused).</summary>
    public static (EditOutcome Outcome, string Text) Edit(string text, string route, string method, string? body = null, Dictionary<string, string>? query = null)
    {
        var doc = ConfigDocument.Load(text);
        var working = new ConfigWorkingCopy(doc);
        var outcome = ConfigResources.Find(route)!.Edit(working, new ResourceRequest(method, body, query ?? []));
        if (!outcome.IsAccepted) return (outcome, text);
        working.Apply(outcome.Changes);
        if (!working.HasChanges) return (outcome, text);
        var edited = working.Render();
        // The incrementally decoded document must equal a full load of its text.
        var reloaded = ConfigDocument.Load(edited.Text);
        if (!JsonNode.DeepEquals(edited.Model, reloaded.Model) || !edited.RootKeys.SetEquals(reloaded.RootKeys))
            throw new InvalidOperationException($"incremental model differs from a full load:\n{edited.Model.ToJsonString()}\n{reloaded.Model.ToJsonString()}");
        return (outcome, edited.Text);
    }

    /// <summary>The GET answer of <paramref name="route"/> on <paramref name="text"/>.</summary>
    public static JsonObject Read(string text, string route) => ConfigResources.Find(route)!.Read(ConfigDocument.Load(text));

    /// <summary>
    /// The document cut into top-level blocks: each key's lines (key line and everything indented
    /// below it), and the comment/blank runs between them (keyed by the preceding key).
    /// </summary>
    public static Dictionary<string, string> Blocks(string text)
    {
        var blocks = new Dictionary<string, string>();
        var current = "#start";
        foreach (var line in text.Split('\n'))
        {
            var topLevelKey = line.Length > 0 && !char.IsWhiteSpace(line[0]) && line[0] != '#' && line.Contains(':');
            if (topLevelKey) current = line[..line.IndexOf(':')];
            else if (line.Length == 0 || line[0] == '#') current = current.StartsWith('#') ? current : "#after-" + current;
            blocks[current] = blocks.GetValueOrDefault(current, "") + line + "\n";
        }
        return blocks;
    }
}
