using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Config;

namespace CliProxy.Tests.Domain.AuthFiles;

/// <summary>
/// The node's credential index and the credential entry it holds: built from summaries, changed by
/// pushes without touching the older index, looked up by name, <c>auth_index</c> and provider; the
/// file's excluded models compare by content and take part in the models a credential serves.
/// </summary>
[Unit]
public sealed class CredentialIndexTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    private static AuthFileSummary Summary(string name, string json) => AuthFileSummaries.Build(name, json, At, At);

    private static readonly AuthFileSummary ClaudeB = Summary("b-claude.json", """{"type":"claude","email":"b@example.com"}""");
    private static readonly AuthFileSummary ClaudeA = Summary("a-claude.json", """{"type":"claude","disabled":true,"priority":9}""");
    private static readonly AuthFileSummary Codex = Summary("codex.json", """{"type":"codex","prefix":"/team/","proxy_url":"http://127.0.0.1:3128","excluded_models":[" gpt-5* ",""]}""");

    [Fact]
    public void An_entry_carries_what_the_proxy_needs_of_the_summary()
    {
        Assert.Equal(new CredentialEntry("codex.json", AuthIndex.ForFile("codex.json"), "codex", "codex", "team", "http://127.0.0.1:3128", 0, false,
            ModelPatterns.Of(["gpt-5*"])), CredentialEntry.Of(Codex));
        var claude = CredentialEntry.Of(ClaudeA);
        Assert.Equal((9L, true, ModelPatterns.None), (claude.Priority, claude.Disabled, claude.ExcludedModels));
    }

    [Fact]
    public void Lookups_by_name_auth_index_and_provider()
    {
        var index = CredentialIndex.Of([ClaudeB, Codex, ClaudeA]);

        Assert.Equal(3, index.Count);
        Assert.Equal("b@example.com", index.Find("b-claude.json")!.Label);
        Assert.Null(index.Find("missing.json"));
        Assert.Equal("codex.json", index.FindByAuthIndex(Codex.AuthIndex)!.Name);
        Assert.Equal(["a-claude.json", "b-claude.json"], index.ForProvider("claude").Select(e => e.Name));
        Assert.Empty(index.ForProvider("gemini-cli"));
    }

    [Fact]
    public void A_change_makes_a_new_index_and_leaves_the_old_one_as_it_was()
    {
        var before = CredentialIndex.Of([ClaudeB, Codex]);
        var renamed = Summary("b-claude.json", """{"type":"claude","email":"new@example.com"}""");

        var after = before.With([renamed, ClaudeA], ["codex.json", "never-there.json"]);

        Assert.Equal(["a-claude.json", "b-claude.json"], after.ForProvider("claude").Select(e => e.Name));
        Assert.Equal("new@example.com", after.Find("b-claude.json")!.Label);
        Assert.Null(after.Find("codex.json"));
        Assert.Empty(after.ForProvider("codex"));
        Assert.Equal("b@example.com", before.Find("b-claude.json")!.Label);
        Assert.NotNull(before.Find("codex.json"));
        Assert.Same(CredentialIndex.Empty, CredentialIndex.Empty);
        Assert.Equal(0, CredentialIndex.Empty.Count);
    }

    [Fact]
    public void Summaries_built_twice_from_one_text_are_equal_so_a_reload_is_no_index_change()
    {
        var json = """{"type":"codex","excluded_models":["a*","b"]}""";
        Assert.Equal(Summary("x.json", json), Summary("x.json", json));
        Assert.NotEqual(Summary("x.json", json), Summary("x.json", """{"type":"codex","excluded_models":["a*"]}"""));
    }

    [Theory]
    [InlineData("gpt-5*", "GPT-5-codex", true)]
    [InlineData("gpt-5*", "gpt-4o", false)]
    [InlineData("*mini", "o4-mini", true)]
    [InlineData("o3", "o3-pro", false)]
    [InlineData("a.b", "axb", false)]
    public void Patterns_match_whole_names_case_insensitively_with_star_wildcards(string pattern, string model, bool matches) =>
        Assert.Equal(matches, ModelPatterns.Of([pattern]).Matches(model));

    [Fact]
    public void Patterns_compare_by_content_and_drop_empty_entries()
    {
        Assert.Equal(ModelPatterns.Of(["a", "b*"]), ModelPatterns.Of([" a ", "", "b*"]));
        Assert.Equal(ModelPatterns.Of(["a", "b*"]).GetHashCode(), ModelPatterns.Of([" a ", "b*"]).GetHashCode());
        Assert.NotEqual(ModelPatterns.Of(["b*", "a"]), ModelPatterns.Of(["a", "b*"]));
        Assert.Same(ModelPatterns.None, ModelPatterns.Of(["  "]));
        Assert.Same(ModelPatterns.None, ModelPatterns.Of(System.Text.Json.Nodes.JsonNode.Parse("\"not a list\"")));
    }

    [Fact]
    public void The_files_excluded_models_and_prefix_shape_the_models_it_serves()
    {
        var config = ConfigDocument.Load("force-model-prefix: true\n").Settings;
        var all = CredentialModels.Ids(CredentialEntry.Of(Summary("c.json", """{"type":"codex"}""")), ConfigDocument.Load("").Settings);
        Assert.Contains(all, id => id.StartsWith("gpt-5", StringComparison.Ordinal));

        var served = CredentialModels.Ids(CredentialEntry.Of(Codex), config);

        Assert.All(served, id => Assert.StartsWith("team/", id));
        Assert.DoesNotContain(served, id => id.StartsWith("team/gpt-5", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(all.Where(id => !id.StartsWith("gpt-5", StringComparison.OrdinalIgnoreCase)).Select(id => "team/" + id), served);
        Assert.Empty(CredentialModels.Ids(CredentialEntry.Of(ClaudeA), config));
    }
}
