using System.Collections.Frozen;
using System.Text.Json.Nodes;

namespace CliProxy.Domain.AuthFiles;

/// <summary>
/// The static model catalog of each channel, shipped as embedded resources that are
/// the exact response bodies of <c>GET /model-definitions/&lt;channel&gt;</c> at the reference.
/// </summary>
public static class ModelCatalog
{
    /// <summary>Known channels.</summary>
    public static readonly IReadOnlyList<string> Channels =
        ["claude", "gemini", "vertex", "gemini-cli", "aistudio", "codex", "qwen", "iflow", "kimi", "antigravity"];

    private static readonly FrozenDictionary<string, byte[]> Bodies = Channels.ToFrozenDictionary(c => c, Load, StringComparer.Ordinal);

    /// <summary>The response body for <paramref name="channel"/> (lookup ignores case and surrounding spaces), or null.</summary>
    public static byte[]? Definitions(string channel) => Bodies.GetValueOrDefault(channel.Trim().ToLowerInvariant());

    /// <summary>The model objects of <paramref name="channel"/> (empty for an unknown channel). Each call returns fresh nodes.</summary>
    public static IReadOnlyList<JsonObject> Models(string channel) =>
        Definitions(channel) is { } body && JsonNode.Parse(body)?["models"] is JsonArray models ? models.OfType<JsonObject>().ToList() : [];

    private static byte[] Load(string channel)
    {
        using var stream = typeof(ModelCatalog).Assembly.GetManifestResourceStream($"model-definitions/{channel}.json")
            ?? throw new InvalidOperationException("missing model definitions for " + channel);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }
}
