using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Domain.OAuth;
using CliProxy.Domain.OAuth.Credentials;

namespace CliProxy.Tests.Domain.OAuth;

/// <summary>The files of the device-code logins: named by the account the access token names, else by the reference's milliseconds.</summary>
[Unit]
public sealed class DeviceCredentialTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private static string Jwt(JsonObject claims) =>
        "e30." + Convert.ToBase64String(Encoding.UTF8.GetBytes(claims.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_') + ".";

    [Theory]
    [InlineData("""{"email":"a@b.c","user_id":"u1","sub":"s1"}""", "a@b.c")]
    [InlineData("""{"user_id":"u1","sub":"s1"}""", "u1")]
    [InlineData("""{"user_id":42}""", "42")]
    [InlineData("""{"sub":"../x/y"}""", "xy")]
    [InlineData("""{"aud":"x"}""", "")]
    public void The_account_comes_from_the_access_tokens_claims(string claims, string expected) =>
        Assert.Equal(expected, DeviceAccount.FromAccessToken(Jwt(JsonNode.Parse(claims)!.AsObject())));

    [Theory]
    [InlineData("opaque-token")]
    [InlineData("a.b")]
    [InlineData("a.!!!.c")]
    [InlineData("")]
    public void A_token_that_is_no_jwt_names_no_account(string token) => Assert.Equal("", DeviceAccount.FromAccessToken(token));

    [Fact]
    public void Qwen_without_an_account_keeps_the_reference_millisecond_name_and_email()
    {
        var grant = TokenGrant.From(new JsonObject { ["access_token"] = "opaque", ["refresh_token"] = "r", ["expires_in"] = 60, ["resource_url"] = "portal.qwen.ai" });
        var c = QwenCredential.Build(grant, Now);
        var ms = Now.ToUnixTimeMilliseconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal($"qwen-{ms}.json", c.FileName);
        Assert.Equal($$"""{"access_token":"opaque","email":"{{ms}}","expired":"2026-03-01T12:01:00Z","last_refresh":"2026-03-01T12:00:00Z","refresh_token":"r","resource_url":"portal.qwen.ai","type":"qwen"}""" + "\n", c.Json);
    }

    [Fact]
    public void Kimi_leaves_out_an_empty_device_id_and_an_unknown_expiry_but_always_writes_scope()
    {
        var c = KimiCredential.Build(TokenGrant.From(new JsonObject { ["access_token"] = Jwt(new JsonObject { ["user_id"] = "k1" }), ["token_type"] = "Bearer" }), "", Now);
        Assert.Equal("kimi-k1.json", c.FileName);
        var file = JsonNode.Parse(c.Json)!.AsObject();
        Assert.Equal(["access_token", "refresh_token", "scope", "timestamp", "token_type", "type"], file.Select(p => p.Key));
        Assert.Equal(Now.ToUnixTimeMilliseconds(), (long)file["timestamp"]!);
        Assert.EndsWith("}\n", c.Json);
    }
}
