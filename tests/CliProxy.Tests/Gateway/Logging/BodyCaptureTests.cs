using CliProxy.Gateway.Logging;

namespace CliProxy.Tests.Gateway.Logging;

/// <summary>What a request log keeps of a body: the first bytes up to the limit, the rest counted.</summary>
[Unit]
public sealed class BodyCaptureTests
{
    [Theory]
    [InlineData(null)]
    [InlineData(3L)] // declared shorter than what came: the buffer grows
    [InlineData(6L)]
    [InlineData(1000L)] // declared longer than the limit: the buffer stops at the limit
    public void The_first_bytes_are_kept_up_to_the_limit_and_the_rest_counted(long? declared)
    {
        var capture = new BodyCapture(limit: 8, expected: declared);
        capture.Add("abcd"u8);
        capture.Add("efgh"u8);
        capture.Add("ijk"u8);
        Assert.Equal("abcdefgh"u8.ToArray(), capture.Kept.ToArray());
        Assert.Equal((11L, 3L), (capture.Total, capture.Dropped));
    }

    [Fact]
    public void Nothing_seen_keeps_nothing()
    {
        var capture = new BodyCapture(limit: 8, expected: 5);
        capture.Add([]);
        Assert.True(capture.Kept.IsEmpty);
        Assert.Equal((0L, 0L), (capture.Total, capture.Dropped));
    }
}
