using System.Net;
using System.Text;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>The 4 MiB body limit of the config routes, with and without Content-Length.</summary>
public sealed partial class ConfigDocumentTests
{
    public static TheoryData<string, string> OversizedRoutes => new()
    {
        { "PUT", "/config.yaml" },
        { "PUT", "/api-keys" },
        { "PUT", "/gemini-api-key" },
        { "PATCH", "/debug" },
        { "PUT", "/oauth-excluded-models" },
        { "DELETE", "/ampcode/model-mappings" },
    };

    [Theory]
    [MemberData(nameof(OversizedRoutes))]
    public async Task Bodies_over_4_MiB_answer_413_and_change_nothing(string method, string route)
    {
        var file = G.FileText();
        var body = "#" + new string(' ', 4 * 1024 * 1024) + "\n";
        var r = await G.Call(method, route, body);
        Assert.Equal(413, r.Status);
        Assert.Equal(file, G.FileText());
    }

    [Fact]
    public async Task Chunked_body_over_4_MiB_answers_413()
    {
        var file = G.FileText();
        using var request = new HttpRequestMessage(HttpMethod.Put, Mgmt.Prefix + "/config.yaml") { Content = new UnsizedContent(4 * 1024 * 1024 + 10) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Mgmt.Key);
        using var response = await G.Client.SendAsync(request);
        Assert.Equal(413, (int)response.StatusCode);
        Assert.Equal(file, G.FileText());
    }

    /// <summary>A body of spaces without Content-Length (sent chunked).</summary>
    private sealed class UnsizedContent(int size) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
            for (var sent = 0; sent < size; sent += chunk.Length)
            {
                try
                {
                    await stream.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, size - sent)));
                }
                catch (IOException)
                {
                    return; // the server may stop reading once the limit is crossed
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}
