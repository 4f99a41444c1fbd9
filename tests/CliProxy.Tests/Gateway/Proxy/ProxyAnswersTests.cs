using CliProxy.Domain.Proxy.Routing;
using CliProxy.Gateway.Proxy.Endpoints;
using Microsoft.AspNetCore.Http;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>The 429 <c>model_cooldown</c> answer carries <c>Retry-After</c> only under <c>passthrough-headers</c> (spec usage §5.3 step 5).</summary>
[Unit]
public sealed class ProxyAnswersTests
{
    [Theory]
    [InlineData(true, "42")]
    [InlineData(false, "")]
    public async Task Retry_after_goes_out_only_with_passthrough_headers(bool passthrough, string expected)
    {
        var context = new DefaultHttpContext { Response = { Body = new MemoryStream() } };
        await ProxyAnswers.WriteAsync(context, ProxyError.Cooldown("m", null, TimeSpan.FromSeconds(41.2)), passthrough);
        Assert.Equal((429, expected), (context.Response.StatusCode, context.Response.Headers.RetryAfter.ToString()));
        Assert.Contains("\"reset_seconds\":42", System.Text.Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray()));
    }
}
