using CliProxy.Gateway.Http;
using Microsoft.AspNetCore.Http;

namespace CliProxy.Tests.Gateway.Http;

/// <summary>The status a request that threw before its answer started is logged with (<see cref="ClientClosedRequest.StatusOf"/>).</summary>
[Unit]
public sealed class ClientClosedRequestTests
{
    [Theory]
    [InlineData(true, "io", 499)] // the client left: whatever the route threw on its way out
    [InlineData(true, "bad-400", 499)]
    [InlineData(true, "cancelled", 499)]
    [InlineData(false, "bad-400", 400)] // a malformed body the server answers itself
    [InlineData(false, "bad-408", 408)]
    [InlineData(false, "io", 500)] // anything else is the server's error
    [InlineData(false, "cancelled", 500)]
    public void Status_says_who_ended_the_request(bool clientLeft, string thrown, int expected)
    {
        using var aborted = new CancellationTokenSource();
        if (clientLeft) aborted.Cancel();
        var context = new DefaultHttpContext { RequestAborted = aborted.Token };
        Exception error = thrown switch
        {
            "io" => new IOException("connection reset"),
            "bad-400" => new BadHttpRequestException("Unexpected end of request content.", 400),
            "bad-408" => new BadHttpRequestException("Request body too slow.", 408),
            _ => new OperationCanceledException(),
        };

        Assert.Equal(expected, ClientClosedRequest.StatusOf(context, error));
    }
}
