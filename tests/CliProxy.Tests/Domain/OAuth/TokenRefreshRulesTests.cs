using System.Text.Json.Nodes;
using CliProxy.Domain.OAuth;
using CliProxy.Domain.OAuth.Refresh;

namespace CliProxy.Tests.Domain.OAuth;

/// <summary>Where each credential layout keeps its token and expiry, when a refresh is due, and what a refresh writes back.</summary>
[Unit]
public sealed class TokenRefreshRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static TokenGrant Grant(string refresh = "rt-new") =>
        TokenGrant.From(new JsonObject { ["access_token"] = "at-new", ["refresh_token"] = refresh, ["expires_in"] = 3600, ["token_type"] = "Bearer" });

    [Theory]
    [InlineData("""{"type":"claude","access_token":"a","refresh_token":"r","expired":"2026-03-01T12:00:20Z"}""", "anthropic", true)]
    [InlineData("""{"type":"claude","access_token":"a","refresh_token":"r","expired":"2026-03-01T12:00:31Z"}""", "anthropic", false)]
    [InlineData("""{"type":"codex","access_token":"a","refresh_token":"r"}""", "codex", false)]
    [InlineData("""{"type":"codex","access_token":"","refresh_token":"r"}""", "codex", true)]
    [InlineData("""{"type":"antigravity","access_token":"a","refresh_token":"r","timestamp":1772366400000,"expires_in":10}""", "antigravity", true)]
    [InlineData("""{"type":"gemini","token":{"access_token":"a","refresh_token":"r","expiry":"2026-03-01T11:59:00.5Z"}}""", "gemini", true)]
    [InlineData("""{"type":"iflow","access_token":"","refresh_token":"","cookie":"BXAuth=x;","api_key":"k"}""", null, false)]
    [InlineData("""{"type":"openai-compat","api_key":"k"}""", null, false)]
    public void A_refresh_is_due_for_a_refreshable_token_that_is_missing_or_expires_within_30_seconds(string json, string? provider, bool due)
    {
        var s = TokenRefreshRules.Read(json);
        Assert.Equal(provider, s.Provider);
        Assert.Equal(due, TokenRefreshRules.NeedsRefresh(s, Now));
    }

    [Fact]
    public void A_credential_without_refresh_gives_its_stored_token()
    {
        Assert.Equal("BXAuth=x;", TokenRefreshRules.Read("""{"type":"iflow","access_token":"","cookie":"BXAuth=x;"}""").AccessToken);
    }

    [Fact]
    public void A_refresh_writes_the_token_the_rotated_refresh_token_and_the_expiry_in_the_files_own_layout()
    {
        var flat = TokenRefreshRules.Apply("""{"type":"antigravity","access_token":"a","refresh_token":"r","timestamp":1,"expires_in":10,"last_refresh":"x"}""", Grant(), Now);
        Assert.Equal("\"at-new\"", flat["access_token"]);
        Assert.Equal("\"rt-new\"", flat["refresh_token"]);
        Assert.Equal("\"2026-03-01T13:00:00Z\"", flat["expired"]);
        Assert.Equal("3600", flat["expires_in"]);
        Assert.Equal(Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture), flat["timestamp"]);
        Assert.Equal("\"2026-03-01T12:00:00Z\"", flat["last_refresh"]);

        var kept = TokenRefreshRules.Apply("""{"type":"claude","access_token":"a","refresh_token":"r"}""", Grant(refresh: ""), Now);
        Assert.False(kept.ContainsKey("refresh_token"));
        Assert.False(kept.ContainsKey("timestamp"));

        var gemini = TokenRefreshRules.Apply("""{"type":"gemini","token":{"access_token":"a","refresh_token":"r","client_id":"c","expiry":"x"}}""", Grant(refresh: ""), Now);
        var token = JsonNode.Parse(gemini["token"])!.AsObject();
        Assert.Equal(("at-new", "r", "c", "2026-03-01T13:00:00Z"), ((string?)token["access_token"], (string?)token["refresh_token"], (string?)token["client_id"], (string?)token["expiry"]));
        Assert.Single(gemini);
    }
}
