namespace CliProxy.Tests.Support;

/// <summary>A scalar setting route of spec §7.</summary>
public sealed record ScalarRoute(string Route, string Key, string Type, string YamlKey, string ValueA, string ValueB, string Default, bool Deletable = false)
{
    /// <summary>Every scalar route of spec §7 with two distinct non-default values and the code default.</summary>
    public static readonly ScalarRoute[] All =
    [
        new("/debug", "debug", "bool", "debug", "true", "false", "false"),
        new("/logging-to-file", "logging-to-file", "bool", "logging-to-file", "true", "false", "false"),
        new("/logs-max-total-size-mb", "logs-max-total-size-mb", "int", "logs-max-total-size-mb", "100", "250", "0"),
        new("/error-logs-max-files", "error-logs-max-files", "int", "error-logs-max-files", "3", "7", "10"),
        new("/usage-statistics-enabled", "usage-statistics-enabled", "bool", "usage-statistics-enabled", "false", "true", "false"),
        new("/proxy-url", "proxy-url", "string", "proxy-url", "\"socks5://user:pw@proxy.internal:1080\"", "\"http://10.0.0.1:3128\"", "\"\"", true),
        new("/quota-exceeded/switch-project", "switch-project", "bool", "switch-project", "false", "true", "false"),
        new("/quota-exceeded/switch-preview-model", "switch-preview-model", "bool", "switch-preview-model", "false", "true", "false"),
        new("/request-retry", "request-retry", "int", "request-retry", "5", "0", "0"),
        new("/max-retry-interval", "max-retry-interval", "int", "max-retry-interval", "45", "1", "0"),
        new("/force-model-prefix", "force-model-prefix", "bool", "force-model-prefix", "true", "false", "false"),
        new("/routing/strategy", "strategy", "string", "strategy", "\"fill-first\"", "\"round-robin\"", "\"round-robin\""),
        new("/ws-auth", "ws-auth", "bool", "ws-auth", "true", "false", "false"),
        new("/request-log", "request-log", "bool", "request-log", "true", "false", "false"),
        new("/ampcode/upstream-url", "upstream-url", "string", "upstream-url", "\"https://amp.example.org\"", "\"https://ampcode.com\"", "\"\"", true),
        new("/ampcode/upstream-api-key", "upstream-api-key", "string", "upstream-api-key", "\"amp-key-1\"", "\"amp-key-2\"", "\"\"", true),
        new("/ampcode/restrict-management-to-localhost", "restrict-management-to-localhost", "bool", "restrict-management-to-localhost", "false", "true", "false"),
        new("/ampcode/force-model-mappings", "force-model-mappings", "bool", "force-model-mappings", "true", "false", "false"),
    ];

    /// <summary>Finds a route.</summary>
    public static ScalarRoute Of(string route) => All.Single(r => r.Route == route);

    /// <summary>Rows (route) for a theory.</summary>
    public static TheoryData<string> Routes()
    {
        var data = new TheoryData<string>();
        foreach (var r in All) data.Add(r.Route);
        return data;
    }

    /// <summary>Bodies of the wrong shape or type for this route.</summary>
    public IEnumerable<string> InvalidBodies()
    {
        string[] common = ["", "   ", "not json", "{", "{}", """{"value":null}""", """{"other":1}""", "null", "[]", "[true]", "\"x\""];
        string[] typed = Type switch
        {
            "bool" => ["""{"value":"true"}""", """{"value":1}""", """{"value":0}""", """{"value":"yes"}""", """{"value":[true]}""", """{"value":{}}"""],
            "int" => ["""{"value":5.0}""", """{"value":"5"}""", """{"value":1e3}""", """{"value":true}""", """{"value":1.5}""", """{"value":[1]}"""],
            _ => ["""{"value":5}""", """{"value":true}""", """{"value":["a"]}""", """{"value":{"a":"b"}}"""],
        };
        return common.Concat(typed);
    }
}
