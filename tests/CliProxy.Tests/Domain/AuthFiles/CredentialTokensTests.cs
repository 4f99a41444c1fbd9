using CliProxy.Domain.AuthFiles;

namespace CliProxy.Tests.Domain.AuthFiles;

/// <summary>Which field of an auth file is its access token (spec §3.3, providers without refresh).</summary>
[Unit]
public sealed class CredentialTokensTests
{
    [Theory]
    [InlineData("""{"accessToken":"a","access_token":"b","token":"c"}""", "a")]
    [InlineData("""{"access_token":" b ","token":"c"}""", "b")]
    [InlineData("""{"access_token":"","token":"c"}""", "c")]
    [InlineData("""{"token":{"access_token":"d","accessToken":"e"}}""", "d")]
    [InlineData("""{"token":{"accessToken":"e"},"id_token":"f"}""", "e")]
    [InlineData("""{"token":{},"id_token":"f"}""", "f")]
    [InlineData("""{"cookie":"g","api_key":"h"}""", "g")]
    [InlineData("""{"api_key":"h"}""", "h")]
    [InlineData("""{"access_token":5,"api_key":"h"}""", "h")]
    [InlineData("""{"type":"claude"}""", "")]
    [InlineData("[]", "")]
    [InlineData("not json", "")]
    public void The_first_non_empty_token_field_wins(string json, string expected) => Assert.Equal(expected, CredentialTokens.AccessToken(json));
}
