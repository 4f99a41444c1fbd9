using System.Text;
using CliProxy.Domain.Proxy.Upstreams;

namespace CliProxy.Tests.Domain.Proxy.Upstreams;

/// <summary>Edits of a request body's top-level members that keep every other byte as sent; several at once as one by one.</summary>
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
    [InlineData("""{"system":"s","metadata":{},"messages":[1]}""")]
    [InlineData("""{ "messages" : [ 1 ] , "x": {"system": 1}, "system":"s" }""")]
    [InlineData("""{"metadata":null}""")]
    [InlineData("""{ }""")]
    [InlineData("""{}""")]
    [InlineData("""{"system":"first","system":"last"}""")]
    [InlineData("""[1]""")]
    public void SetAll_writes_what_Set_one_by_one_writes_and_GetAll_reads_what_Get_reads(string body)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        (string Name, string Json)[] members = [("system", "[\"x\"]"), ("metadata", "{\"user_id\":\"u\"}"), ("added", "2")];
        var oneByOne = members.Aggregate((ReadOnlyMemory<byte>)bytes, (b, m) => JsonBody.Set(b, m.Name, m.Json));

        var together = JsonBody.SetAll(bytes, [.. members.Select(m => new KeyValuePair<string, string>(m.Name, m.Json))]);

        Assert.Equal(Encoding.UTF8.GetString(oneByOne.Span), Encoding.UTF8.GetString(together.Span));
        var read = JsonBody.GetAll(bytes, "system", "metadata", "messages", "absent");
        foreach (var name in new[] { "system", "metadata", "messages", "absent" })
            Assert.Equal(JsonBody.Get(bytes, name), read.GetValueOrDefault(name));
    }

    [Theory]
    [InlineData("""{"model":"a","n":1}""", """{"model":"b","n":1}""")]
    [InlineData("""{ "n":1}""", """{"model":"b", "n":1}""")]
    [InlineData("""{ }""", """{"model":"b" }""")]
    [InlineData("""[1]""", """[1]""")]
    public void Set_replaces_the_value_or_adds_the_member_first(string body, string expected) =>
        Assert.Equal(expected, Set(body, "model", "\"b\""));
}
