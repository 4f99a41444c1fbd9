using System.Text.RegularExpressions;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// Hand edits of config.yaml (spec §5.3): a valid edit becomes visible through the API (within about a second; the
/// waits allow more for a loaded machine); an invalid one is ignored and the previous values stay. Each test edits the current
/// file (whatever earlier tests left) and asserts only on what it changed.
/// </summary>
[Http]
public sealed class HotReloadTests(TrustingFullConfigGateway fixture) : IClassFixture<TrustingFullConfigGateway>
{
    private TestGateway G => fixture.Gateway;

    private static string Set(string text, string key, string value) =>
        Regex.Replace(text, $@"(?m)^{Regex.Escape(key)}: .*$", $"{key}: {value}");

    /// <summary>The line the config grain logs when it refuses a hand edit.</summary>
    private const string RefusedLine = "Ignoring an invalid edit of the config document";

    /// <summary>
    /// Writes an invalid config and waits until the gateway has read and refused it, so that the
    /// checks which follow see the refusal and not a file that was not read yet.
    /// </summary>
    private async Task WriteInvalid(string text)
    {
        var refusals = Regex.Count(G.Output, Regex.Escape(RefusedLine));
        G.WriteFile(text);
        await Mgmt.Eventually(() => Task.FromResult(Regex.Count(G.Output, Regex.Escape(RefusedLine)) > refusals), TimeSpan.FromSeconds(5),
            "the gateway logs that it ignores the invalid edit");
    }

    [Fact]
    public async Task Scalar_edit_becomes_visible()
    {
        await G.Ok("PUT", "/logs-max-total-size-mb", """{"value":100}""");
        G.WriteFile(Set(G.FileText(), "logs-max-total-size-mb", "321"));
        await G.UntilField("/logs-max-total-size-mb", "logs-max-total-size-mb", "321");
        Assert.Equal(321, (int?)(await G.GetJson("/config"))["logs-max-total-size-mb"]);
    }

    [Fact]
    public async Task List_edit_becomes_visible()
    {
        var text = Regex.Replace(G.FileText(), @"(?m)^api-keys:\n(?:(?:  .*|\s*#.*)?\n)*?(?=\S)", "api-keys:\n  - \"hand-key-1\"\n  - \"hand-key-2\"\n\n");
        Assert.Contains("hand-key-2", text);
        G.WriteFile(text);
        await G.UntilField("/api-keys", "api-keys", """["hand-key-1","hand-key-2"]""");
    }

    [Fact]
    public async Task Edit_is_visible_in_get_config_yaml_with_a_new_etag()
    {
        var before = await G.Call("GET", "/config.yaml");
        var text = G.FileText() + "# hand edit marker " + Guid.NewGuid().ToString("N") + "\n";
        G.WriteFile(text);
        await Mgmt.Eventually(async () => (await G.Call("GET", "/config.yaml")).Body == text, Mgmt.HandEditWait, "GET /config.yaml shows the edit");
        Assert.NotEqual(before.Header("ETag"), (await G.Call("GET", "/config.yaml")).Header("ETag"));
    }

    [Fact]
    public async Task Invalid_yaml_edit_is_ignored_and_the_old_values_stay()
    {
        await G.Ok("PUT", "/max-retry-interval", """{"value":21}""");
        var good = G.FileText();
        await WriteInvalid(Set(good, "max-retry-interval", "99") + "broken: [\n");
        await Mgmt.Holds(async () =>
        {
            var r = await G.Call("GET", "/max-retry-interval");
            return r.Status == 200 && r.Body == """{"max-retry-interval":21}""";
        }, TimeSpan.FromSeconds(1), "the old value stays while the file is invalid");
        G.WriteFile(Set(good, "max-retry-interval", "22"));
        await G.UntilField("/max-retry-interval", "max-retry-interval", "22");
    }

    [Fact]
    public async Task Wrongly_typed_edit_is_ignored()
    {
        await G.Ok("PUT", "/request-retry", """{"value":2}""");
        var good = G.FileText();
        await WriteInvalid(Set(Set(good, "request-retry", "7"), "debug", "\"maybe\""));
        await Mgmt.Holds(async () => (await G.Call("GET", "/request-retry")).Body == """{"request-retry":2}""",
            TimeSpan.FromSeconds(1), "the old value stays");
        G.WriteFile(Set(good, "request-retry", "8"));
        await G.UntilField("/request-retry", "request-retry", "8");
    }

    [Fact]
    public async Task Empty_file_is_ignored()
    {
        await G.Ok("PUT", "/error-logs-max-files", """{"value":6}""");
        var good = G.FileText();
        await WriteInvalid("");
        await Mgmt.Holds(async () => (await G.Call("GET", "/error-logs-max-files")).Body == """{"error-logs-max-files":6}""",
            TimeSpan.FromSeconds(1), "the old value stays while the file is empty");
        G.WriteFile(Set(good, "error-logs-max-files", "4"));
        await G.UntilField("/error-logs-max-files", "error-logs-max-files", "4");
    }

    [Fact]
    public async Task Overlong_secret_edit_is_ignored_and_the_key_keeps_working()
    {
        await G.Ok("PUT", "/usage-statistics-enabled", """{"value":true}""");
        var good = G.FileText();
        var bad = Regex.Replace(Set(good, "usage-statistics-enabled", "false"), @"(?m)^  secret-key: .*$", $"  secret-key: \"{new string('k', 80)}\"");
        await WriteInvalid(bad);
        await Mgmt.Holds(async () => (await G.Call("GET", "/usage-statistics-enabled")).Body == """{"usage-statistics-enabled":true}""",
            TimeSpan.FromSeconds(1), "old values and the old key stay");
        G.WriteFile(good);
        Assert.Equal(200, (await G.Call("GET", "/config")).Status);
    }

    [Fact]
    public async Task Api_save_after_a_hand_edit_keeps_the_hand_edit()
    {
        var text = G.FileText() + "x-hand-edited: \"kept\"\n";
        text = Set(text, "ws-auth", "true");
        G.WriteFile(text);
        await G.UntilField("/ws-auth", "ws-auth", "true");
        await G.Ok("PUT", "/force-model-prefix", """{"value":true}""");
        var file = G.FileText();
        Assert.Contains("x-hand-edited: \"kept\"", file);
        Assert.Matches(@"(?m)^ws-auth: true$", file);
        Assert.Matches(@"(?m)^force-model-prefix: true", file);
    }

    [Fact]
    public async Task Hand_edited_provider_list_is_normalised_on_read()
    {
        var text = Regex.Replace(G.FileText(), @"(?m)^vertex-api-key:\n(?:(?:  .*|\s*#.*)?\n)*?(?=\S)",
            "vertex-api-key:\n  - api-key: \"  vk-hand  \"\n    base-url: \"https://vertex.hand.example\"\n    prefix: \"/hand/\"\n\n");
        Assert.Contains("vk-hand", text);
        G.WriteFile(text);
        await Mgmt.Eventually(async () => (await G.GetJson("/vertex-api-key"))["vertex-api-key"]?.ToJsonString().Contains("vk-hand") == true,
            Mgmt.HandEditWait, "vertex list reloaded");
        Mgmt.AssertEntries((await G.GetJson("/vertex-api-key"))["vertex-api-key"],
            """{"api-key":"vk-hand","base-url":"https://vertex.hand.example","prefix":"hand"}""");
    }
}
