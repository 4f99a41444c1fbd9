using System.Text.Json.Nodes;
using CliProxy.Domain.Errors;
using static CliProxy.Tests.Domain.Config.ConfigEditHarness;

namespace CliProxy.Tests.Domain.Config;

/// <summary>
/// The rules of the five provider lists (spec §9, correction 10) on the resource itself, without a
/// host: what a PUT refuses and with which message, and how it normalises what it keeps. The HTTP
/// tests (<c>Gateway/Endpoints/ProviderListsTests</c>) check the contract around these: status, body,
/// nothing stored on a refusal.
/// </summary>
[Unit]
public sealed class ProviderListRulesTests
{
    private static readonly string Full = TestPaths.Fixture("config/full.yaml");

    private static TheoryData<string, string> Cross(params string[] values) => ProviderListInfo.Cross(values);

    public static TheoryData<string> Lists() => ProviderListInfo.Keys();

    /// <summary>PUT <paramref name="body"/>; asserts the refusal <see cref="RefusalKind.Invalid"/> with <paramref name="message"/> and that the text is unchanged.</summary>
    private static void AssertRefused(ProviderListInfo l, string body, string message)
    {
        var (outcome, text) = Edit(Full, l.Route, "PUT", body);
        Assert.True(outcome.Refusal == Refusal.Invalid(message), $"PUT {l.Route} {body}: expected Invalid {message}, got {outcome.Refusal}");
        Assert.Equal(Full, text);
    }

    /// <summary>PUT <paramref name="body"/>; asserts it is accepted and returns the list as GET answers it.</summary>
    private static JsonNode? Put(ProviderListInfo l, string body)
    {
        var (outcome, text) = Edit(Full, l.Route, "PUT", body);
        Assert.True(outcome.IsAccepted, $"PUT {l.Route} {body}: {outcome.Refusal}");
        return Read(text, l.Route)[l.Key];
    }

    public static TheoryData<string, string> InvalidBodies => Cross(
        "null", "", "  ", "[", "{", "not json", "{}", """{"items":null}""", """{"items":"x"}""", """{"items":{}}""", """{"list":[]}""",
        """["entry"]""", "[1]", "[[]]", "[true]", "42", "\"text\"", "[] []", "[]x",
        "ID:5", "ID:PRIORITY", "ID:HEADERS", "ID:PREFIX", "ID:MODELS", "ID:BASEURL");

    /// <summary>Expands the <c>ID:…</c> placeholders of <see cref="InvalidBodies"/> (entries of the list with a field of the wrong type).</summary>
    internal static string InvalidBody(ProviderListInfo l, string body) => body switch
    {
        "ID:5" => $$"""[{"{{l.Id}}":5,"base-url":"https://x.example"}]""",
        "ID:PRIORITY" => ProviderListInfo.Arr(l.E("typed", extra: """{"priority":"high"}""")),
        "ID:HEADERS" => ProviderListInfo.Arr(l.E("typed", extra: """{"headers":["X-A"]}""")),
        "ID:PREFIX" => ProviderListInfo.Arr(l.E("typed", extra: """{"prefix":1}""")),
        "ID:MODELS" => ProviderListInfo.Arr(l.E("typed", extra: """{"models":"m"}""")),
        "ID:BASEURL" => ProviderListInfo.Arr(l.E("typed", extra: """{"base-url":true}""")),
        _ => body,
    };

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public void A_body_that_is_not_a_list_of_entries_is_an_invalid_body(string key, string body)
    {
        var l = ProviderListInfo.Of(key);
        AssertRefused(l, InvalidBody(l, body), "invalid body");
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public void An_entry_without_its_id_is_refused_naming_the_entry(string key)
    {
        var l = ProviderListInfo.Of(key);
        var missing = new JsonObject { ["base-url"] = "https://x.example", ["prefix"] = "p" }.ToJsonString();
        AssertRefused(l, ProviderListInfo.Arr(l.E("fine"), missing), $"{key}[1]: {l.Id} is required");
        AssertRefused(l, ProviderListInfo.Arr(l.E("   "), l.E("fine")), $"{key}[0]: {l.Id} is required");
        AssertRefused(l, ProviderListInfo.Arr(l.E("new-a"), l.E("new-b"), l.E("")), $"{key}[2]: {l.Id} is required");
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public void Base_url_is_required_exactly_where_the_list_needs_one(string key)
    {
        var l = ProviderListInfo.Of(key);
        var noUrl = new JsonObject { [l.Id] = "no-url" }.ToJsonString();
        var blankUrl = new JsonObject { [l.Id] = "blank-url", ["base-url"] = "   " }.ToJsonString();
        if (l.RequiresBaseUrl)
        {
            AssertRefused(l, ProviderListInfo.Arr(l.E("fine"), noUrl), $"{key}[1]: base-url is required");
            AssertRefused(l, ProviderListInfo.Arr(blankUrl), $"{key}[0]: base-url is required");
        }
        else
        {
            Mgmt.AssertEntries(Put(l, ProviderListInfo.Arr(noUrl)), noUrl);
        }
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public void Prefix_is_trimmed_of_slashes_and_a_slash_inside_is_refused(string key)
    {
        var l = ProviderListInfo.Of(key);
        var list = Put(l, ProviderListInfo.Arr(
            l.E("p1", extra: """{"prefix":" /team/ "}"""), l.E("p2", extra: """{"prefix":"//"}"""), l.E("p3", extra: """{"prefix":"plain"}""")));
        Mgmt.AssertEntries(list, l.E("p1", extra: """{"prefix":"team"}"""), l.E("p2"), l.E("p3", extra: """{"prefix":"plain"}"""));
        AssertRefused(l, ProviderListInfo.Arr(l.E("ok"), l.E("bad", extra: """{"prefix":"/a/b/"}""")), $"{key}[1]: prefix must not contain '/'");
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public void The_same_id_and_base_url_twice_is_refused_naming_both_entries_after_trimming(string key)
    {
        var l = ProviderListInfo.Of(key);
        var url = l.RequiresBaseUrl ? ProviderListInfo.DefaultUrl : null;
        AssertRefused(l, ProviderListInfo.Arr(l.E("dup", url), l.E("other", url), l.E(" dup ", url)), l.Duplicate(2, 0));
        AssertRefused(l, ProviderListInfo.Arr(l.E("x", "https://u.example"), l.E("x", " https://u.example ")), l.Duplicate(1, 0));
        Mgmt.AssertEntries(Put(l, ProviderListInfo.Arr(l.E("same", "https://one.example"), l.E("same", "https://two.example"))),
            l.E("same", "https://one.example"), l.E("same", "https://two.example"));
    }

    [Theory]
    [MemberData(nameof(Lists))]
    public void Strings_are_trimmed_and_blank_headers_dropped(string key)
    {
        var l = ProviderListInfo.Of(key);
        var entry = new JsonObject
        {
            [l.Id] = "  spaced-id  ",
            ["base-url"] = "  https://spaced.example.com  ",
            ["prefix"] = "  pre  ",
            ["headers"] = new JsonObject { [" X-A "] = " 1 ", ["X-Blank"] = "   ", ["  "] = "v", ["X-C"] = "c" },
        };
        if (l.Fields.Contains("proxy-url")) entry["proxy-url"] = "  socks5://spaced:1080  ";
        var expected = new JsonObject
        {
            [l.Id] = "spaced-id",
            ["base-url"] = "https://spaced.example.com",
            ["prefix"] = "pre",
            ["headers"] = new JsonObject { ["X-A"] = "1", ["X-C"] = "c" },
        };
        if (l.Fields.Contains("proxy-url")) expected["proxy-url"] = "socks5://spaced:1080";
        Mgmt.AssertEntries(Put(l, new JsonArray(entry).ToJsonString()), expected.ToJsonString());
    }

    [Theory]
    [InlineData("gemini-api-key")]
    [InlineData("claude-api-key")]
    [InlineData("codex-api-key")]
    public void Excluded_models_are_trimmed_lowered_deduplicated_and_blank_ones_dropped(string key)
    {
        var l = ProviderListInfo.Of(key);
        var list = Put(l, ProviderListInfo.Arr(
            l.E("ex-1", extra: """{"excluded-models":[" GPT-5 ","gpt-5","","  ","Claude-*"]}"""),
            l.E("ex-2", extra: """{"excluded-models":["",""]}""")));
        Mgmt.AssertEntries(list, l.E("ex-1", extra: """{"excluded-models":["gpt-5","claude-*"]}"""), l.E("ex-2"));
    }

    [Theory]
    [InlineData("claude-api-key", """{"models":[{"name":"m1","alias":"a1"},{"name":"m2","alias":""},{"name":"","alias":"a3"}]}""")]
    [InlineData("codex-api-key", """{"models":[{"name":"m1","alias":"a1"},{"name":"m2","alias":""},{"name":"","alias":"a3"}]}""")]
    [InlineData("vertex-api-key", """{"models":[{"name":"m1","alias":"a1"}]}""")]
    public void Models_are_trimmed_and_the_list_drops_the_ones_it_cannot_use(string key, string expected)
    {
        var l = ProviderListInfo.Of(key);
        var list = Put(l, ProviderListInfo.Arr(l.E("m", extra:
            """{"models":[{"name":" m1 ","alias":" a1 "},{"name":" ","alias":""},{"name":"m2","alias":""},{"name":"","alias":"a3"}]}""")));
        Mgmt.AssertEntries(list, l.E("m", extra: expected));
    }
}
