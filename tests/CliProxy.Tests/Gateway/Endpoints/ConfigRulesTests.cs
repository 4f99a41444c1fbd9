using System.Text.RegularExpressions;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// A rule on a value holds whichever way the value comes in (issue 8, item 4): its single-value
/// route refuses it with 400, a whole-document <c>PUT /config.yaml</c> refuses it with
/// <c>422 invalid_config</c> naming the key and stores nothing, and a hand edit of config.yaml
/// that breaks it is logged and ignored (the last good document stays in force).
/// </summary>
[Http]
public sealed class ConfigRulesTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    /// <summary>The line the config grain logs when it refuses a hand edit.</summary>
    private const string RefusedLine = "Ignoring an invalid edit of the config document";

    public static TheoryData<string> Rules => ConfigRuleCase.Names();

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Single_value_route_refuses_with_400(string rule)
    {
        var c = ConfigRuleCase.Of(rule);
        var (file, config) = (G.FileText(), (await G.Call("GET", "/config")).Body);
        Mgmt.AssertError(await G.Call("PUT", c.Route, c.RouteBody), 400, c.RouteError);
        Assert.Equal(file, G.FileText());
        Assert.Equal(config, (await G.Call("GET", "/config")).Body);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Whole_document_put_refuses_with_422_naming_the_key_and_stores_nothing(string rule)
    {
        var c = ConfigRuleCase.Of(rule);
        var (file, config) = (G.FileText(), (await G.Call("GET", "/config")).Body);
        var etag = (await G.Call("GET", "/config.yaml")).Header("ETag");
        var body = ConfigRuleCase.WithTopLevel(file, c.YamlKey, c.YamlBlock);
        Assert.NotEqual(file, body);
        var r = await G.Call("PUT", "/config.yaml", body);
        try
        {
            Mgmt.AssertCodedError(r, 422, "invalid_config", c.Message);
            Assert.Equal(file, G.FileText());
            Assert.Equal(etag, (await G.Call("GET", "/config.yaml")).Header("ETag"));
            Assert.Equal(config, (await G.Call("GET", "/config")).Body);
        }
        finally
        {
            if (r.Status == 200) await Restore(file);
        }
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public async Task Hand_edit_is_logged_and_the_last_good_document_stays_in_force(string rule)
    {
        var c = ConfigRuleCase.Of(rule);
        var (file, config) = (G.FileText(), (await G.Call("GET", "/config")).Body);
        var bad = ConfigRuleCase.WithTopLevel(file, c.YamlKey, c.YamlBlock);
        var line = RefusedLine + "; the last good document stays in force: " + c.Message;
        var refusals = Regex.Count(G.Output, Regex.Escape(line));
        G.WriteFile(bad);
        try
        {
            // Either the edit is refused (logged with this rule's message) or, before the fix, taken over:
            // wait for whichever comes first. (A read of the half-written file may be refused first with
            // another message; it does not count.)
            await Mgmt.Eventually(async () => Regex.Count(G.Output, Regex.Escape(line)) > refusals
                    || (await G.Call("GET", "/config.yaml")).Body == bad,
                TimeSpan.FromSeconds(5), "the gateway reads the edit");
            Assert.True(Regex.Count(G.Output, Regex.Escape(line)) > refusals, $"the edit breaking '{c.Message}' was taken over");
            Assert.Equal(config, (await G.Call("GET", "/config")).Body);
            Assert.Equal(file, (await G.Call("GET", "/config.yaml")).Body);
        }
        finally
        {
            await Restore(file);
        }
    }

    /// <summary>Writes <paramref name="file"/> back and waits until it is the served document.</summary>
    private async Task Restore(string file)
    {
        G.WriteFile(file);
        await Mgmt.Eventually(async () => (await G.Call("GET", "/config.yaml")).Body == file, TimeSpan.FromSeconds(5), "the good document is served again");
    }
}
