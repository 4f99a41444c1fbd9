using System.Text.Json.Nodes;
using CliProxy.Domain.Proxy.Catalogue;

namespace CliProxy.Gateway.Proxy.Endpoints;

/// <summary>The model lists of the data plane (spec usage §5.1), from the node's catalogue: every model the config and the credentials allow.</summary>
public static class ModelListings
{
    /// <summary><c>GET /v1/models</c>, OpenAI format.</summary>
    public static JsonObject OpenAI(UpstreamCatalogue catalogue) => new()
    {
        ["object"] = "list",
        ["data"] = new JsonArray([.. catalogue.Models.Select(m => (JsonNode)new JsonObject
        {
            ["id"] = m.Id, ["object"] = "model", ["created"] = m.Created, ["owned_by"] = m.OwnedBy,
        })]),
    };

    /// <summary><c>GET /v1/models</c> for <c>claude-cli</c> user agents: Anthropic's format.</summary>
    public static JsonObject Claude(UpstreamCatalogue catalogue)
    {
        var data = new JsonArray([.. catalogue.Models.Select(m => (JsonNode)new JsonObject
        {
            ["id"] = m.Id, ["type"] = "model", ["display_name"] = m.DisplayName,
            ["created_at"] = DateTimeOffset.FromUnixTimeSeconds(m.Created).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        })]);
        return new JsonObject
        {
            ["data"] = data, ["has_more"] = false,
            ["first_id"] = catalogue.Models.Length > 0 ? catalogue.Models[0].Id : null,
            ["last_id"] = catalogue.Models.Length > 0 ? catalogue.Models[^1].Id : null,
        };
    }

    /// <summary><c>GET /v1beta/models</c>, Gemini format.</summary>
    public static JsonObject Gemini(UpstreamCatalogue catalogue) => new()
    {
        ["models"] = new JsonArray([.. catalogue.Models.Select(m => (JsonNode)GeminiModel(m))]),
    };

    /// <summary>One model of <c>GET /v1beta/models/{name}</c>, or null when it is not listed.</summary>
    public static JsonObject? GeminiModel(UpstreamCatalogue catalogue, string name)
    {
        var id = name.StartsWith("models/", StringComparison.Ordinal) ? name["models/".Length..] : name;
        return catalogue.Models.FirstOrDefault(m => m.Id == id) is { } model ? GeminiModel(model) : null;
    }

    private static JsonObject GeminiModel(ListedModel m) => new()
    {
        ["name"] = "models/" + m.Id,
        ["displayName"] = m.DisplayName,
        ["supportedGenerationMethods"] = new JsonArray("generateContent", "streamGenerateContent", "countTokens"),
    };
}
