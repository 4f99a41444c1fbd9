using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CliProxy.Domain.Proxy;
using CliProxy.Gateway.Proxy.Endpoints;
using Microsoft.AspNetCore.Http;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>A client call read once: <c>model</c> and <c>stream</c> from the top level of the body, refusals for bodies that are no JSON object.</summary>
[Unit]
public sealed class ClientCallReaderTests
{
    private static async Task<(string? Model, bool Stream, string? Error)> Read(string body, string? pathModel = null, bool? pathStream = null)
    {
        var http = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        http.Request.Body = new MemoryStream(bytes);
        http.Request.ContentLength = bytes.Length;
        var (call, model, error) = await ClientCallReader.ReadAsync(http.Request, ClientProtocol.OpenAIChat, pathModel, pathStream, CancellationToken.None);
        return call is null ? (null, false, (string?)JsonNode.Parse(error!.Body)!["error"]!["message"]) : (model.Base + model.Suffix, call.Stream, null);
    }

    [Theory]
    [InlineData("""{"model":"gpt-5","stream":true}""")]
    [InlineData("""{"messages":[{"model":"inner","stream":true}],"model":"outer"}""")]
    [InlineData("""{"model":"first","model":"last","stream":true,"stream":false}""")]
    [InlineData("""{"model":"m","stream":"true"}""")]
    [InlineData("""{"model":"m\u0031","meta":{"a":[1,2,{"b":null}]},"stream":true}""")]
    [InlineData("""  {"stream":true, "model" : "spaced(high)" }  """)]
    public async Task Model_and_stream_are_the_top_levels_last_as_a_parsed_document_says(string body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var expected = (root.GetProperty("model").GetString(), root.TryGetProperty("stream", out var s) && s.ValueKind == JsonValueKind.True, (string?)null);
        Assert.Equal(expected, await Read(body));
    }

    [Theory]
    [InlineData("[1,2]", "request body must be a JSON object")]
    [InlineData("\"text\"", "request body must be a JSON object")]
    [InlineData("""{"model":1}""", "model is required")]
    [InlineData("""{"model":"  "}""", "model is required")]
    [InlineData("""{"model":"a","model":null}""", "model is required")]
    public async Task Bodies_without_a_model_or_not_an_object_are_refused(string body, string message) =>
        Assert.Equal((null, false, message), await Read(body));

    [Theory]
    [InlineData("")]
    [InlineData("""{"model":""")]
    [InlineData("""{"model":"a",}""")]
    [InlineData("[1,")]
    public async Task Broken_json_is_refused_as_such(string body) =>
        Assert.StartsWith("invalid JSON body: ", (await Read(body)).Error);

    [Fact]
    public async Task A_gemini_path_gives_model_and_stream_whatever_the_body_says() =>
        Assert.Equal(("from-path", true, (string?)null), await Read("""{"model":"body","stream":false}""", pathModel: "from-path", pathStream: true));
}
