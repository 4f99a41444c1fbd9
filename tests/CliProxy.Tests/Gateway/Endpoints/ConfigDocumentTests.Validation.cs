using System.Text.RegularExpressions;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>What a <c>PUT /config.yaml</c> document may hold: empty and invalid documents are refused, YAML 1.1 booleans and routing strategies are read, secrets are checked and hashed (the value rules of the routes: <c>ConfigRulesTests</c>).</summary>
public sealed partial class ConfigDocumentTests
{
    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("# only a comment\n# and another\n")]
    [InlineData("\n  # indented comment\n")]
    public async Task Empty_document_answers_400_and_changes_nothing(string body)
    {
        var file = G.FileText();
        Mgmt.AssertCodedError(await PutYaml(body), 400, "invalid_yaml", "config document is empty");
        Assert.Equal(file, G.FileText());
        Assert.Equal(200, (await G.Call("GET", "/config")).Status);
    }

    [Theory]
    [InlineData("DOCbroken: [\n")]
    [InlineData("DOCdebug: true\n")]
    [InlineData("- a\n- b\n")]
    [InlineData("just a scalar\n")]
    [InlineData("DOCdebug-extra: \"unterminated\n")]
    [InlineData("\tdebug: true\n")]
    [InlineData("port: \"8317\"\n")]
    [InlineData("TYPE:debug: \"true\"")]
    [InlineData("TYPE:api-keys: abc")]
    [InlineData("TYPE:request-retry: many")]
    [InlineData("TYPE:routing: [1, 2]")]
    [InlineData("TYPE:gemini-api-key:\n  api-key: x")]
    public async Task Invalid_yaml_answers_400_invalid_yaml_and_changes_nothing(string template)
    {
        var file = G.FileText();
        var body = template.StartsWith("DOC") ? file + template[3..]
            : template.StartsWith("TYPE:") ? Mgmt.ReplaceOnce(file, "x-team-notes:", template[5..] + "\nx-team-notes:")
            : template;
        if (template.StartsWith("TYPE:")) body = RemoveOtherOccurrence(body, template[5..].Split(':')[0]);
        var etag = (await G.Call("GET", "/config.yaml")).Header("ETag");
        var r = await PutYaml(body);
        try
        {
            Mgmt.AssertCodedError(r, 400, "invalid_yaml");
            Assert.Equal(file, G.FileText());
            Assert.Equal(etag, (await G.Call("GET", "/config.yaml")).Header("ETag"));
        }
        finally
        {
            if (r.Status == 200)
            {
                // The product accepted it: put the old document back so the other tests of this class can run.
                G.WriteFile(file);
                await Mgmt.Eventually(async () => (await G.Call("GET", "/debug")).Status == 200, TimeSpan.FromSeconds(10), "old document restored");
            }
        }
    }

    /// <summary>Removes the original top-level <paramref name="key"/> entry so the injected one is the only one.</summary>
    private static string RemoveOtherOccurrence(string text, string key)
    {
        var lines = Mgmt.Lines(text).ToList();
        var first = lines.FindIndex(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        var last = lines.FindLastIndex(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        if (first == last) return text;
        var end = first + 1;
        while (end < lines.Count && (lines[end].StartsWith(' ') || lines[end].Length == 0 && end + 1 < lines.Count && lines[end + 1].StartsWith(' '))) end++;
        lines.RemoveRange(first, end - first);
        return string.Join('\n', lines);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("\"on\"", true)]
    [InlineData("Off", false)]
    public async Task Yaml_1_1_booleans_are_accepted(string literal, bool expected)
    {
        await G.Ok("PUT", "/debug", $$"""{"value":{{(!expected).ToString().ToLowerInvariant()}}}""");
        AssertPutOk(await PutYaml(DebugLine.Replace(G.FileText(), "debug: " + literal)));
        Mgmt.AssertJson($$"""{"debug":{{expected.ToString().ToLowerInvariant()}}}""", (await G.Call("GET", "/debug")).Body);
    }

    [Theory]
    [InlineData("  FF  ", "fill-first")]
    [InlineData("RR", "round-robin")]
    public async Task Get_routing_strategy_canonicalises_the_stored_value(string stored, string shown)
    {
        var body = Regex.Replace(G.FileText(), @"(?m)^  strategy: .*$", $"  strategy: \"{stored}\"");
        AssertPutOk(await PutYaml(body));
        Mgmt.AssertJson($$"""{"strategy":"{{shown}}"}""", (await G.Call("GET", "/routing/strategy")).Body);
    }

    [Fact]
    public async Task Secret_longer_than_72_bytes_answers_422_invalid_config_and_changes_nothing()
    {
        var file = G.FileText();
        var body = Regex.Replace(file, @"(?m)^  secret-key: .*$", $"  secret-key: \"{new string('s', 73)}\"");
        Assert.NotEqual(file, body);
        Mgmt.AssertCodedError(await PutYaml(body), 422, "invalid_config");
        Assert.Equal(file, G.FileText());
        Assert.Equal(200, (await G.Call("GET", "/debug")).Status);
    }

    [Fact]
    public async Task Plaintext_secret_in_the_body_is_stored_as_its_hash()
    {
        var body = Regex.Replace(G.FileText(), @"(?m)^  secret-key: .*$", $"  secret-key: \"{Mgmt.Key}\"");
        Assert.Contains(Mgmt.Key, body);
        AssertPutOk(await PutYaml(body));
        var file = G.FileText();
        Assert.DoesNotContain(Mgmt.Key, file);
        Assert.Matches(@"(?m)^  secret-key: ""\$2[aby]\$10\$.{53}""", file);
        Assert.DoesNotContain(Mgmt.Key, (await G.Call("GET", "/config.yaml")).Body);
        Assert.Equal(200, (await G.Call("GET", "/debug")).Status);
        // Apart from the secret the file is the body.
        var (removed, added) = Mgmt.LineDiff(body, file);
        Assert.Single(removed);
        Assert.Single(added);
    }
}
