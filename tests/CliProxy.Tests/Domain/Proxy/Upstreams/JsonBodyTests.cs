using System.Text;
using CliProxy.Domain.Proxy.Upstreams;

namespace CliProxy.Tests.Domain.Proxy.Upstreams;

/// <summary>Edits of a request body's top-level members that keep every other byte as sent.</summary>
[Unit]
public sealed class JsonBodyTests
{
    private static string Remove(string body, string name) => Encoding.UTF8.GetString(JsonBody.Remove(Encoding.UTF8.GetBytes(body), name).Span);

    private static string Set(string body, string name, string json) => Encoding.UTF8.GetString(JsonBody.Set(Encoding.UTF8.GetBytes(body), name, json).Span);

    [Theory]
    [InlineData("""{"betas":["a"],"model":"m"}""", """{"model":"m"}""")]
    [InlineData("""{"model":"m", "betas" : [ "a" ] , "max_tokens":1}""", """{"model":"m", "max_tokens":1}""")]
    [InlineData("""{"model":"m" , "betas":["a"]}""", """{"model":"m" }""")]
    [InlineData("""{ "betas":{"nested":{"betas":1}} }""", """{  }""")]
    [InlineData("""{"model":"m","x":{"betas":["inner"]}}""", """{"model":"m","x":{"betas":["inner"]}}""")]
    [InlineData("""["betas"]""", """["betas"]""")]
    [InlineData("""{"betas":""", """{"betas":""")]
    public void Remove_takes_the_member_and_one_comma_and_nothing_else(string body, string expected) =>
        Assert.Equal(expected, Remove(body, "betas"));

    [Theory]
    [InlineData("""{"model":"a","n":1}""", """{"model":"b","n":1}""")]
    [InlineData("""{ "n":1}""", """{"model":"b", "n":1}""")]
    [InlineData("""{ }""", """{"model":"b" }""")]
    [InlineData("""[1]""", """[1]""")]
    public void Set_replaces_the_value_or_adds_the_member_first(string body, string expected) =>
        Assert.Equal(expected, Set(body, "model", "\"b\""));
}
