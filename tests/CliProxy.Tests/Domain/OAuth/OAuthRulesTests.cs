using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Domain.OAuth;
using CliProxy.Domain.OAuth.Credentials;

namespace CliProxy.Tests.Domain.OAuth;

/// <summary>The pure rules of the logins: states, callback bodies, settings, Codex claims and names, re-login merges.</summary>
[Unit]
public sealed class OAuthRulesTests
{
    [Theory]
    [InlineData("abc", true)]
    [InlineData(" a.b_c-d ", true)]
    [InlineData("", false)]
    [InlineData("a/b", false)]
    [InlineData("a\\b", false)]
    [InlineData("a..b", false)]
    [InlineData("a b", false)]
    [InlineData("ä", false)]
    public void States_are_validated_as_the_reference_does(string raw, bool valid) => Assert.Equal(valid, OAuthState.IsValid(raw, out _));

    [Fact]
    public void New_states_are_128_random_bits()
    {
        var states = Enumerable.Range(0, 100).Select(_ => OAuthState.New()).ToHashSet();
        Assert.Equal(100, states.Count);
        Assert.All(states, s => Assert.Matches("^[0-9a-f]{32}$", s));
        Assert.Equal(128, Pkce.Create().Verifier.Length);
    }

    [Theory]
    [InlineData("Claude", "anthropic")]
    [InlineData(" OPENAI ", "codex")]
    [InlineData("google", "gemini")]
    [InlineData("i-flow", "iflow")]
    [InlineData("anti-gravity", "antigravity")]
    [InlineData("qwen", "qwen")]
    [InlineData("kimi", null)]
    [InlineData("", null)]
    public void Provider_aliases_normalise(string name, string? canonical) => Assert.Equal(canonical, OAuthProviders.Normalize(name));

    [Fact]
    public void A_pasted_redirect_fills_what_the_body_does_not_give()
    {
        var s = CallbackSubmission.FromJson("""{"provider":"openai","redirect_url":"http://localhost:1455/auth/callback?code=c%2B1&state=st#frag","code":""}""", out var error)!;
        Assert.Null(error);
        Assert.Equal(("codex", "st", "c+1", ""), (s.Provider, s.State, s.Code, s.Error));
        var direct = CallbackSubmission.FromJson("""{"redirect_url":"http://x/cb?code=url&state=url&error_description=nope","code":"body"}""", out _)!;
        Assert.Equal((null, "url", "body", "nope"), (direct.Provider, direct.State, direct.Code, direct.Error));
        Assert.Null(direct.Check());
        Assert.Equal("code or error is required", new CallbackSubmission(null, "st", "", "").Check());
    }

    [Fact]
    public void Settings_take_configured_values_over_the_reference_defaults_and_refuse_bad_timings()
    {
        var config = new Dictionary<string, string>
        {
            ["OAuth:Providers:codex:TokenUrl"] = "http://127.0.0.1:9/token",
            ["OAuth:Providers:gemini-cli:ClientSecret"] = " s3cret ",
            ["OAuth:SessionTtlSeconds"] = "60",
        };
        var settings = OAuthSettings.Read(k => config.GetValueOrDefault(k));
        Assert.Equal("http://127.0.0.1:9/token", settings.For("codex").TokenUrl);
        Assert.Equal("https://auth.openai.com/oauth/authorize", settings.For("codex").AuthorizeUrl);
        Assert.Equal("s3cret", settings.For("gemini").ClientSecret);
        Assert.Equal(TimeSpan.FromMinutes(1), settings.SessionTtl);
        Assert.Equal(TimeSpan.FromMinutes(5), settings.CallbackWait);
        Assert.Throws<FormatException>(() => OAuthSettings.Read(k => k == "OAuth:CallbackWaitSeconds" ? "-1" : null));
    }

    private static string Jwt(string claims) =>
        "eyJhbGciOiJub25lIn0." + Convert.ToBase64String(Encoding.UTF8.GetBytes(claims)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".";

    [Fact]
    public void Codex_claims_are_read_leniently_and_name_the_file_with_the_account_hash()
    {
        // A string "aud" and a non-RFC-3339 date made the reference's strict parser drop the e-mail.
        var claims = CodexIdToken.Parse(Jwt("""{"aud":"one","email":" a@b.c ","https://api.openai.com/auth":{"chatgpt_account_id":"acct","chatgpt_plan_type":"ChatGPT Pro+","chatgpt_subscription_last_checked":"yesterday"}}"""));
        Assert.Equal(("a@b.c", "acct", "chatgpt-pro"), (claims.Email, claims.AccountId, claims.PlanPart));
        Assert.Equal($"codex-{claims.AccountHash}-a@b.c-chatgpt-pro.json", CodexCredential.FileName(claims));
        Assert.Equal("codex-a@b.c.json", CodexCredential.FileName(new CodexIdToken("a@b.c", "", "")));
        Assert.Equal(new CodexIdToken("", "", ""), CodexIdToken.Parse("not-a-jwt"));
        var grant = TokenGrant.From(new JsonObject { ["access_token"] = "at", ["id_token"] = Jwt("""{"aud":["x"]}""") });
        Assert.Throws<MissingIdentityException>(() => CodexCredential.Build(grant, DateTimeOffset.UnixEpoch));
    }

    [Fact]
    public void A_relogin_replaces_tokens_and_keeps_operator_keys_in_the_logins_layout()
    {
        const string stored = """{"access_token":"old","disabled":true,"email":"e","prefix":"team","priority":3,"custom":{"a":1},"type":"claude"}""";
        const string login = "{\"access_token\":\"new\",\"disabled\":false,\"email\":\"e\",\"type\":\"claude\"}";
        var merged = JsonNode.Parse(ReloginMerge.Merge(stored, login))!.AsObject();
        Assert.Equal(("new", true, "team", 3), ((string?)merged["access_token"], (bool)merged["disabled"]!, (string?)merged["prefix"], (int)merged["priority"]!));
        Assert.Equal(1, (int)merged["custom"]!["a"]!);
        Assert.Equal(login, ReloginMerge.Merge(null, login));
        Assert.False(ReloginMerge.Merge(stored, login).EndsWith('\n'));
    }

    [Fact]
    public void Authorize_urls_encode_parameters_in_lexical_order()
    {
        var url = AuthorizeUrl.Build("https://x/auth", new Dictionary<string, string> { ["scope"] = "a b", ["client_id"] = "c", ["state"] = "s" });
        Assert.Equal("https://x/auth?client_id=c&scope=a+b&state=s", url);
    }
}
