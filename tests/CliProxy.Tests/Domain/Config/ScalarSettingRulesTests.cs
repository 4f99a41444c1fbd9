using System.Text.Json.Nodes;
using CliProxy.Domain.Errors;
using static CliProxy.Tests.Domain.Config.ConfigEditHarness;

namespace CliProxy.Tests.Domain.Config;

/// <summary>
/// The rules of the scalar settings (spec §7 with correction 5) on the resources themselves: strict
/// body decoding, the normalisers and the refusals with their messages. The HTTP tests
/// (<c>Gateway/Endpoints/ScalarSettingsTests</c>) check the contract around these.
/// </summary>
[Unit]
public sealed class ScalarSettingRulesTests
{
    private static readonly string Full = TestPaths.Fixture("config/full.yaml");

    public static TheoryData<string, string> InvalidBodies
    {
        get
        {
            var data = new TheoryData<string, string>();
            foreach (var r in ScalarRoute.All)
                foreach (var b in r.InvalidBodies())
                    data.Add(r.Route, b);
            return data;
        }
    }

    private static void AssertRefused(string method, string route, string body, string message)
    {
        var (outcome, text) = Edit(Full, route, method, body);
        Assert.True(outcome.Refusal == Refusal.Invalid(message), $"{method} {route} {body}: expected Invalid {message}, got {outcome.Refusal}");
        Assert.Equal(Full, text);
    }

    private static JsonObject Stored(string method, string route, string body)
    {
        var (outcome, text) = Edit(Full, route, method, body);
        Assert.True(outcome.IsAccepted, $"{method} {route} {body}: {outcome.Refusal}");
        return Read(text, route);
    }

    [Theory]
    [MemberData(nameof(InvalidBodies))]
    public void A_body_that_is_not_a_value_of_the_settings_type_is_an_invalid_body(string route, string body)
    {
        AssertRefused("PUT", route, body, "invalid body");
        AssertRefused("PATCH", route, body, "invalid body");
    }

    [Theory]
    [InlineData("PUT", "/logs-max-total-size-mb", -1, """{"logs-max-total-size-mb":0}""")]
    [InlineData("PATCH", "/logs-max-total-size-mb", -500, """{"logs-max-total-size-mb":0}""")]
    [InlineData("PUT", "/error-logs-max-files", -1, """{"error-logs-max-files":10}""")]
    [InlineData("PATCH", "/error-logs-max-files", -3, """{"error-logs-max-files":10}""")]
    public void Negative_log_limits_are_stored_as_their_defaults(string method, string route, int value, string expected) =>
        Mgmt.AssertJson(expected, Stored(method, route, $$"""{"value":{{value}}}"""));

    [Theory]
    [InlineData("/request-retry", "PUT", -1)]
    [InlineData("/request-retry", "PATCH", -7)]
    [InlineData("/max-retry-interval", "PUT", -1)]
    [InlineData("/max-retry-interval", "PATCH", -30)]
    public void Negative_retry_values_are_refused(string route, string method, int value) =>
        AssertRefused(method, route, $$"""{"value":{{value}}}""", "value must not be negative");

    [Theory]
    [InlineData("fill-first", "fill-first")]
    [InlineData("FF", "fill-first")]
    [InlineData(" FillFirst ", "fill-first")]
    [InlineData("round-robin", "round-robin")]
    [InlineData("RoundRobin", "round-robin")]
    [InlineData(" rr ", "round-robin")]
    [InlineData("", "round-robin")]
    public void Routing_strategy_aliases_are_stored_in_canonical_form(string value, string canonical) =>
        Mgmt.AssertJson($$"""{"strategy":"{{canonical}}"}""", Stored("PATCH", "/routing/strategy", new JsonObject { ["value"] = value }.ToJsonString()));

    [Theory]
    [InlineData("random")]
    [InlineData("least-used")]
    [InlineData("fill first")]
    public void Unknown_routing_strategies_are_refused(string value)
    {
        foreach (var method in new[] { "PUT", "PATCH" })
            AssertRefused(method, "/routing/strategy", $$"""{"value":"{{value}}"}""", "invalid strategy");
    }

    [Theory]
    [InlineData("/ampcode/upstream-url", "upstream-url", "  https://amp.trim.example  ", "https://amp.trim.example")]
    [InlineData("/ampcode/upstream-api-key", "upstream-api-key", "\tamp-secret-9 ", "amp-secret-9")]
    [InlineData("/proxy-url", "proxy-url", "  socks5://spaced:1080  ", "  socks5://spaced:1080  ")]
    public void Ampcode_strings_are_trimmed_and_the_proxy_url_is_kept_verbatim(string route, string key, string value, string stored) =>
        Mgmt.AssertJson(new JsonObject { [key] = stored }.ToJsonString(), Stored("PUT", route, new JsonObject { ["value"] = value }.ToJsonString()));
}
