using CliProxy.Domain.Errors;
using static CliProxy.Tests.Domain.Config.ConfigEditHarness;

namespace CliProxy.Tests.Domain.Config;

/// <summary>
/// The rules of <c>/oauth-excluded-models</c> and <c>/oauth-model-alias</c> (spec §10, corrections 3
/// and 12) on the resources: what a body must look like, the messages of refusals, and how the maps are
/// normalised (keys trimmed and lower-cased, colliding keys keep the first). The HTTP tests
/// (<c>Gateway/Endpoints/OAuthMapsTests</c>) check the contract around these.
/// </summary>
[Unit]
public sealed class OAuthMapRulesTests
{
    private const string Excluded = "/oauth-excluded-models";
    private const string Alias = "/oauth-model-alias";

    private static readonly string Full = TestPaths.Fixture("config/full.yaml");

    /// <summary>full.yaml with <paramref name="route"/> set to <paramref name="map"/>.</summary>
    private static string With(string route, string map)
    {
        var (outcome, text) = Edit(Full, route, "PUT", map);
        Assert.True(outcome.IsAccepted, outcome.Refusal?.ToString());
        return text;
    }

    private static void AssertRefused(string text, string method, string route, string? body, RefusalKind kind, string message, Dictionary<string, string>? query = null)
    {
        var (outcome, after) = Edit(text, route, method, body, query);
        Assert.True(outcome.Refusal == new Refusal(kind, message), $"{method} {route} {body}: expected {kind} {message}, got {outcome.Refusal}");
        Assert.Equal(text, after);
    }

    private static void AssertMap(string route, string body, string expected)
    {
        var map = Read(With(route, body), route)[route.TrimStart('/')];
        Mgmt.AssertJson(expected, map);
    }

    [Theory]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("""["codex"]""")]
    [InlineData("""{"items":["a"]}""")]
    [InlineData("""{"items":"a"}""")]
    [InlineData("""{"items":null}""")]
    [InlineData("""{"codex":"x"}""")]
    [InlineData("""{"codex":[1]}""")]
    [InlineData("""{"codex":{"a":"b"}}""")]
    [InlineData("""{"codex":["a"]} {}""")]
    [InlineData("\"x\"")]
    public void Excluded_models_put_refuses_what_is_not_a_map_of_lists(string body) =>
        AssertRefused(With(Excluded, """{"codex":["keep"]}"""), "PUT", Excluded, body, RefusalKind.Invalid, "invalid body");

    [Theory]
    [InlineData("null")]
    [InlineData("")]
    [InlineData("{")]
    [InlineData("[]")]
    [InlineData("""{"items":["a"]}""")]
    [InlineData("""{"items":null}""")]
    [InlineData("""{"codex":"x"}""")]
    [InlineData("""{"codex":["x"]}""")]
    [InlineData("""{"codex":[{"name":1,"alias":"b"}]}""")]
    [InlineData("""{"codex":[{"name":"a","alias":"b","fork":"yes"}]}""")]
    public void Model_alias_put_refuses_what_is_not_a_map_of_alias_lists(string body) =>
        AssertRefused(With(Alias, """{"codex":[{"name":"keep","alias":"kept"}]}"""), "PUT", Alias, body, RefusalKind.Invalid, "invalid body");

    [Theory]
    [InlineData(Excluded, """{" Codex ":[" GPT-5* ","gpt-5*","","o3"],"claude":[],"  ":["x"],"qwen":["  "],"kimi":["k2"]}""", """{"codex":["gpt-5*","o3"],"kimi":["k2"]}""")]
    [InlineData(Excluded, """{"Codex":["first"]," codex ":["second"],"CODEX":["third"]}""", """{"codex":["first"]}""")]
    [InlineData(Excluded, """{"items":{"iflow":["m1"]}}""", """{"iflow":["m1"]}""")]
    [InlineData(Excluded, """{"items":["a"],"codex":["b"]}""", """{"items":["a"],"codex":["b"]}""")]
    [InlineData(Alias, """{"Vertex":[{"name":"a","alias":"first"}],"vertex ":[{"name":"b","alias":"second"}]}""", """{"vertex":[{"name":"a","alias":"first"}]}""")]
    [InlineData(Alias, """{"items":{"kimi":[{"name":"k2","alias":"kimi-k2"}]}}""", """{"kimi":[{"name":"k2","alias":"kimi-k2"}]}""")]
    public void Keys_are_trimmed_and_lower_cased_the_first_of_colliding_keys_wins_and_a_lone_items_is_the_wrapper(string route, string body, string expected) =>
        AssertMap(route, body, expected);

    [Fact]
    public void Aliases_are_trimmed_and_entries_without_a_name_or_alias_or_with_a_repeated_alias_are_dropped() =>
        AssertMap(Alias, """
            {" Codex ":[{"name":" gpt-5 ","alias":" g5 "},{"name":"x","alias":"X"},{"name":"y","alias":"G5"},{"name":"","alias":"a"},
                        {"name":"b","alias":" "},{"name":"z","alias":"zz","fork":true},{"name":"gpt-5","alias":"g5b","fork":false}],
             "claude":[],"  ":[{"name":"n","alias":"m"}],"qwen":[{"name":"same","alias":"SAME"}]}
            """, """{"codex":[{"name":"gpt-5","alias":"g5"},{"name":"z","alias":"zz","fork":true},{"name":"gpt-5","alias":"g5b"}]}""");

    [Theory]
    [InlineData("", "invalid body")]
    [InlineData("{", "invalid body")]
    [InlineData("{}", "invalid body")]
    [InlineData("""{"models":["a"]}""", "invalid body")]
    [InlineData("""{"provider":5,"models":["a"]}""", "invalid body")]
    [InlineData("""{"provider":"codex","models":"a"}""", "invalid body")]
    [InlineData("""{"provider":"codex","models":[1]}""", "invalid body")]
    [InlineData("""{"provider":"  ","models":["a"]}""", "invalid provider")]
    [InlineData("""{"provider":"","models":["a"]}""", "invalid provider")]
    [InlineData("""{"provider":"nobody","models":[]}""", "provider not found", RefusalKind.NotFound)]
    public void Excluded_models_patch_refusals(string body, string message, RefusalKind kind = RefusalKind.Invalid) =>
        AssertRefused(With(Excluded, """{"codex":["c"]}"""), "PATCH", Excluded, body, kind, message);

    public static TheoryData<Dictionary<string, string>, RefusalKind, string> DeleteRefusals => new()
    {
        { new Dictionary<string, string>(), RefusalKind.Invalid, "missing provider" },
        { new Dictionary<string, string> { ["provider"] = "" }, RefusalKind.Invalid, "missing provider" },
        { new Dictionary<string, string> { ["provider"] = "  " }, RefusalKind.Invalid, "missing provider" },
        { new Dictionary<string, string> { ["channel"] = "codex" }, RefusalKind.Invalid, "missing provider" },
        { new Dictionary<string, string> { ["provider"] = "nobody" }, RefusalKind.NotFound, "provider not found" },
    };

    [Theory]
    [MemberData(nameof(DeleteRefusals))]
    public void Excluded_models_delete_refusals(Dictionary<string, string> query, RefusalKind kind, string message) =>
        AssertRefused(With(Excluded, """{"codex":["c"]}"""), "DELETE", Excluded, null, kind, message, query);

    [Fact]
    public void Excluded_models_delete_finds_the_provider_trimmed_and_lower_cased()
    {
        var (outcome, text) = Edit(With(Excluded, """{"codex":["c"],"claude":["x"]}"""), Excluded, "DELETE", null, new() { ["provider"] = " CoDeX " });
        Assert.True(outcome.IsAccepted, outcome.Refusal?.ToString());
        Mgmt.AssertJson("""{"claude":["x"]}""", Read(text, Excluded)["oauth-excluded-models"]);
    }
}
