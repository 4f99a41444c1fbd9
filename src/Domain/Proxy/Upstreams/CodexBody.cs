using System.Text.Json;
using System.Text.Json.Nodes;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// The body rules the ChatGPT backend needs before it accepts a Responses request (the reference's Codex
/// request translator and executor): <c>stream: true</c>, <c>store: false</c>, <c>instructions</c> present
/// (<c>""</c>), a string <c>input</c> as one user message, <c>system</c> input roles as <c>developer</c>, and the
/// members it rejects removed. Everything else is the client's.
/// </summary>
public static class CodexBody
{
    /// <summary>Members the backend rejects ("Unsupported parameter"), removed.</summary>
    public static readonly IReadOnlyList<string> Rejected =
    [
        "max_output_tokens", "max_completion_tokens", "temperature", "top_p", "user", "previous_response_id",
        "truncation", "prompt_cache_retention", "safety_identifier", "stream_options", "generate",
    ];

    /// <summary>
    /// The body for the ChatGPT backend; a body that is not a JSON object only gets the model rule skipped and is sent as is.
    /// <paramref name="compact"/>: for <c>/responses/compact</c>, which takes no <c>stream</c> member.
    /// </summary>
    public static ReadOnlyMemory<byte> ForChatGptBackend(ReadOnlyMemory<byte> body, string model, bool compact = false)
    {
        JsonObject root;
        try
        {
            if (JsonNode.Parse(body.Span) is not JsonObject parsed) return body;
            root = parsed;
        }
        catch (JsonException)
        {
            return body;
        }
        root["model"] = model;
        if (compact) root.Remove("stream");
        else root["stream"] = true;
        root["store"] = false;
        if (root["instructions"] is null) root["instructions"] = "";
        foreach (var name in Rejected) root.Remove(name);
        if (root["service_tier"] is JsonValue tier && tier.ToString() != "priority") root.Remove("service_tier");
        if (root["input"] is JsonValue input && input.TryGetValue<string>(out var text))
            root["input"] = new JsonArray(new JsonObject
            {
                ["type"] = "message",
                ["role"] = "user",
                ["content"] = new JsonArray(new JsonObject { ["type"] = "input_text", ["text"] = text }),
            });
        if (root["input"] is JsonArray items)
            foreach (var item in items)
                if (item is JsonObject message && message["role"] is JsonValue role && role.ToString() == "system")
                    message["role"] = "developer";
        return JsonSerializer.SerializeToUtf8Bytes(root);
    }

    /// <summary>An API-key <c>/responses/compact</c> body: the model rewritten and <c>stream</c> removed (the route takes none).</summary>
    public static ReadOnlyMemory<byte> ForCompact(ReadOnlyMemory<byte> body, string model)
    {
        if (JsonNode.Parse(body.Span) is not JsonObject root) return body;
        root["model"] = model;
        root.Remove("stream");
        return JsonSerializer.SerializeToUtf8Bytes(root);
    }
}
