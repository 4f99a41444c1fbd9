using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CliProxy.Domain.AuthFiles;

/// <summary>
/// Edits of a credential's JSON text that keep its layout: compact files stay compact, indented
/// ones keep 2-space indentation, key order is kept (new keys go last), and a trailing newline
/// stays or stays absent.
/// </summary>
public static class JsonText
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true, IndentSize = 2 };

    /// <summary>Parses <paramref name="text"/> as a JSON object; null when it is not one.</summary>
    public static JsonObject? ParseObject(string text)
    {
        try
        {
            return JsonNode.Parse(text, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false }) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The parser's message for <paramref name="text"/>, or null when it is a JSON object.</summary>
    public static string? ObjectError(string text)
    {
        try
        {
            return JsonNode.Parse(text) is JsonObject ? null : "not a JSON object";
        }
        catch (JsonException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Applies <paramref name="edit"/> to the object in <paramref name="text"/> and writes it back in
    /// the same layout.
    /// </summary>
    public static string Edit(string text, Action<JsonObject> edit)
    {
        var obj = ParseObject(text) ?? throw new ArgumentException("not a JSON object", nameof(text));
        edit(obj);
        var indented = text.TrimStart().StartsWith('{') && text.TrimStart().Length > 1 && text.TrimStart()[1] is '\n' or '\r';
        var body = obj.ToJsonString(indented ? Indented : Compact);
        if (indented && text.Contains("\r\n", StringComparison.Ordinal)) body = body.Replace("\n", "\r\n");
        var trailing = text.Length - text.TrimEnd().Length;
        return body + text[^trailing..];
    }
}
