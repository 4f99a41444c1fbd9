using System.Text.Json.Nodes;

namespace CliProxy.Tests.Support;

/// <summary>One provider credential list (spec §9) and what the tests need to know about it.</summary>
public sealed record ProviderListInfo(string Key, string Id, string Selector, bool RequiresBaseUrl, string[] Fields)
{
    /// <summary>The five lists.</summary>
    public static readonly ProviderListInfo[] All =
    [
        new("gemini-api-key", "api-key", "match", false, ["priority", "prefix", "base-url", "proxy-url", "models", "headers", "excluded-models"]),
        new("claude-api-key", "api-key", "match", false, ["priority", "prefix", "base-url", "proxy-url", "models", "headers", "excluded-models", "cloak"]),
        new("codex-api-key", "api-key", "match", true, ["priority", "prefix", "base-url", "websockets", "proxy-url", "models", "headers", "excluded-models"]),
        new("openai-compatibility", "name", "name", true, ["priority", "prefix", "base-url", "api-key-entries", "models", "headers"]),
        new("vertex-api-key", "api-key", "match", true, ["priority", "prefix", "base-url", "proxy-url", "headers", "models"]),
    ];

    /// <summary>The lists' keys, for a theory.</summary>
    public static TheoryData<string> Keys()
    {
        var data = new TheoryData<string>();
        foreach (var l in All) data.Add(l.Key);
        return data;
    }

    /// <summary>Every list with every one of <paramref name="values"/> (list key, value), for a theory.</summary>
    public static TheoryData<string, string> Cross(params string[] values)
    {
        var data = new TheoryData<string, string>();
        foreach (var l in All)
            foreach (var v in values)
                data.Add(l.Key, v);
        return data;
    }

    /// <summary>Looks a list up by its key.</summary>
    public static ProviderListInfo Of(string key) => All.Single(l => l.Key == key);

    /// <summary>Route of the list.</summary>
    public string Route => "/" + Key;

    /// <summary>Base URL used when a test needs one but does not care which.</summary>
    public const string DefaultUrl = "https://api.example.com/v1";

    /// <summary>The 400 message of a DELETE without selector.</summary>
    public string MissingSelector => Id == "name" ? "missing name or index" : "missing api-key or index";

    /// <summary>An entry as JSON text: the id, a base-url (always for lists that require one) and extra fields.</summary>
    public string E(string id, string? url = null, string? extra = null)
    {
        var o = new JsonObject { [Id] = id };
        if (url is not null || RequiresBaseUrl) o["base-url"] = url ?? DefaultUrl;
        if (extra is not null)
            foreach (var (k, v) in JsonNode.Parse(extra)!.AsObject()) o[k] = v?.DeepClone();
        return o.ToJsonString();
    }

    /// <summary>A JSON array of entries.</summary>
    public static string Arr(params string[] entries) => "[" + string.Join(",", entries) + "]";

    /// <summary>The "duplicate" message.</summary>
    public string Duplicate(int later, int earlier) => $"{Key}[{later}]: duplicate of {Key}[{earlier}] (same {Id} and base-url)";

    /// <summary>A value for every schema field of this list (for PUT round trips and PATCH of any field).</summary>
    public JsonObject FullValue()
    {
        var o = new JsonObject
        {
            ["priority"] = 9,
            ["prefix"] = "full",
            ["base-url"] = "https://full.example.com",
            ["headers"] = new JsonObject { ["X-Full"] = "yes" },
            ["models"] = new JsonArray(new JsonObject { ["name"] = "model-full", ["alias"] = "alias-full" }),
        };
        if (Fields.Contains("proxy-url")) o["proxy-url"] = "socks5://full.proxy:1080";
        if (Fields.Contains("excluded-models")) o["excluded-models"] = new JsonArray("full-excluded-*");
        if (Fields.Contains("cloak")) o["cloak"] = new JsonObject { ["mode"] = "always", ["strict-mode"] = true, ["sensitive-words"] = new JsonArray("secret") };
        if (Fields.Contains("websockets")) o["websockets"] = true;
        if (Fields.Contains("api-key-entries"))
            o["api-key-entries"] = new JsonArray(new JsonObject { ["api-key"] = "entry-key-1", ["proxy-url"] = "socks5://entry:1" }, new JsonObject { ["api-key"] = "entry-key-2" });
        return o;
    }
}
