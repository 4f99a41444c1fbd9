using CliProxy.Domain.Logging;

namespace CliProxy.Tests.Domain.Logging;

/// <summary>The masking rules of every log (spec §2.6).</summary>
[Unit]
public sealed class SecretMaskTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("ab", "ab")]
    [InlineData("abc", "a...c")]
    [InlineData("abcd", "a...d")]
    [InlineData("abcde", "ab...de")]
    [InlineData("abcdefgh", "ab...gh")]
    [InlineData("abcdefghi", "abcd...fghi")]
    [InlineData("sk-0123456789abcdef", "sk-0...cdef")]
    public void HideKey_keeps_a_few_characters_at_each_end(string value, string expected) => Assert.Equal(expected, SecretMask.HideKey(value));

    [Theory]
    [InlineData("Authorization", "Bearer sk-0123456789abcdef", "Bearer sk-0...cdef")]
    [InlineData("authorization", "sk-0123456789abcdef", "sk-0...cdef")]
    [InlineData("Proxy-Authorization", "Basic dXNlcjpwYXNzd29yZA==", "Basic dXNl...ZA==")]
    [InlineData("X-Api-Key", "sk-0123456789abcdef", "sk-0...cdef")]
    [InlineData("X-Goog-Api-Key", "AIza0123456789", "AIza...6789")]
    [InlineData("X-Management-Key", "mgmt-key-for-tests", "mgmt...ests")]
    [InlineData("X-Apikey", "0123456789", "0123...6789")]
    [InlineData("X-Auth-Token", "tok-0123456789", "tok-...6789")]
    [InlineData("X-Client-Secret", "shh-0123456789", "shh-...6789")]
    [InlineData("Cookie", "session=0123456789", "sess...6789")]
    [InlineData("Content-Type", "application/json", "application/json")]
    public void Header_values_are_masked_by_name(string name, string value, string expected) =>
        Assert.Equal(expected, SecretMask.HeaderValue(name, value));

    [Theory]
    [InlineData("", "")]
    [InlineData("a=1&b=2", "a=1&b=2")]
    [InlineData("key=sk-0123456789abcdef", "key=sk-0...cdef")]
    [InlineData("KEY=sk-0123456789abcdef&x=1", "KEY=sk-0...cdef&x=1")]
    [InlineData("auth_token=%20tok-0123456789%20", "auth_token=tok-...6789")]
    [InlineData("x-api-key[]=0123456789", "x-api-key[]=0123...6789")]
    [InlineData("client_secret=abcdefghij&apikey=abcdefghij", "client_secret=abcd...ghij&apikey=abcd...ghij")]
    [InlineData("monkey=0123456789", "monkey=0123456789")]
    [InlineData("code=4%2F0AbCdEfGhIj&state=s-123456789", "code=4%2F0A...GhIj&state=s-123456789")]
    [InlineData("key", "key")]
    public void Secret_query_values_are_masked(string query, string expected) => Assert.Equal(expected, SecretMask.Query(query));

    [Fact]
    public void A_path_keeps_its_query_masked() =>
        Assert.Equal("/v1/models?key=sk-0...cdef", SecretMask.PathAndQuery("/v1/models", "?key=sk-0123456789abcdef"));
}
