using System.Text.Json;
using CliProxy.Domain.Go;

namespace CliProxy.Domain.Config.Resources;

/// <summary>Small parsing helpers shared by the resources.</summary>
internal static class RequestValues
{
    /// <summary>
    /// Index parse of the reference's DELETE handlers: a leading decimal integer with optional
    /// leading spaces and sign; trailing junk ignored (<c>2abc</c> → 2, <c>1.5</c> → 1, <c>0x10</c> → 0).
    /// </summary>
    public static bool TryLenientIndex(string? text, out int index)
    {
        index = 0;
        if (text is null) return false;
        var i = 0;
        while (i < text.Length && char.IsWhiteSpace(text[i])) i++;
        var negative = false;
        if (i < text.Length && text[i] is '+' or '-') { negative = text[i] == '-'; i++; }
        var start = i;
        long value = 0;
        while (i < text.Length && char.IsAsciiDigit(text[i]) && value < int.MaxValue) value = value * 10 + (text[i++] - '0');
        if (i == start) return false;
        index = (int)Math.Clamp(negative ? -value : value, int.MinValue, int.MaxValue);
        return true;
    }

    /// <summary>The bound-mode body as an object; false for an empty, malformed or non-object body.</summary>
    public static bool TryBoundObject(ResourceRequest request, out JsonElement body) =>
        GoJson.TryParseBound(request.Body ?? "", out body) && body.ValueKind is JsonValueKind.Object or JsonValueKind.Null;

    /// <summary>
    /// The raw-mode body of a list PUT: a JSON array, or <c>{"items": [...]}</c>. <c>null</c> is
    /// refused (at the reference it silently clears the list), <c>{"items": []}</c> clears like <c>[]</c>
    /// (the reference refused it).
    /// </summary>
    public static bool TryListBody(ResourceRequest request, out JsonElement items)
    {
        items = default;
        if (!GoJson.TryParseRaw(request.Body ?? "", out var body)) return false;
        if (body.ValueKind == JsonValueKind.Array) { items = body; return true; }
        if (body.ValueKind == JsonValueKind.Object && GoJson.TryGet(body, "items", out var inner) && inner.ValueKind == JsonValueKind.Array)
        {
            items = inner;
            return true;
        }
        return false;
    }
}
