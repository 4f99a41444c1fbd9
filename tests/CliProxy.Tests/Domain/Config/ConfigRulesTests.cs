using CliProxy.Domain.Config;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Domain.Config;

/// <summary>Loading a document enforces the rules of the single-value routes (issue 8, item 4); existing documents still load.</summary>
[Unit]
public sealed class ConfigRulesTests
{
    public static TheoryData<string> Rules => ConfigRuleCase.Names();

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_document_breaking_a_rule_does_not_load_and_the_message_names_the_key(string rule)
    {
        var c = ConfigRuleCase.Of(rule);
        var text = ConfigRuleCase.WithTopLevel(TestPaths.Fixture("config/full.yaml"), c.YamlKey, c.YamlBlock);
        var e = Assert.ThrowsAny<ConfigLoadException>(() => ConfigDocument.Load(text));
        Assert.Equal(c.Message, e.Message);
    }

    [Theory]
    [MemberData(nameof(Rules))]
    public void A_stored_document_breaking_a_rule_still_loads_and_reports_it(string rule)
    {
        var c = ConfigRuleCase.Of(rule);
        var text = ConfigRuleCase.WithTopLevel(TestPaths.Fixture("config/full.yaml"), c.YamlKey, c.YamlBlock);
        ConfigDocument.LoadStored(text, out var violations);
        Assert.Equal([c.Message], violations);
    }

    [Theory]
    [InlineData("config/full.yaml")]
    [InlineData("config/minimal.yaml")]
    public void The_fixtures_load_unchanged(string fixture)
    {
        var text = TestPaths.Fixture(fixture);
        var doc = ConfigDocument.Load(text);
        Assert.Equal(text, doc.Text);
        Assert.Empty(doc.Warnings);
        ConfigDocument.LoadStored(text, out var violations);
        Assert.Empty(violations);
    }

    [Theory]
    [InlineData("routing:\n  strategy: \"  FF  \"\n")]
    [InlineData("routing:\n  strategy: RR\n")]
    [InlineData("routing:\n  strategy: \"\"\n")]
    [InlineData("request-retry: 0\nmax-retry-interval: 0\n")]
    [InlineData("error-logs-max-files: -1\nlogs-max-total-size-mb: -5\n")]
    public void Values_the_routes_accept_or_normalise_load(string yaml) => ConfigDocument.Load(yaml);
}
