using CliProxy.Gateway.Logging;
using Microsoft.Extensions.Logging;

namespace CliProxy.Tests.Gateway.Logging;

/// <summary>Line format, access line, file names and request ids of the logs (spec §2.2–§2.4).</summary>
[Unit]
public sealed class LogFormatTests
{
    private static readonly DateTimeOffset At = new(2026, 2, 24, 10, 20, 3, 456, TimeSpan.FromHours(8));

    private static string Line(string? requestId, LogLevel level, string category, string message, Exception? exception) =>
        System.Text.Encoding.UTF8.GetString(LogLine.Encode(LogLine.Stamp(At), requestId, level, LogLine.ShortCategory(category), message, exception));

    [Fact]
    public void An_entry_has_the_references_columns_and_exceptions_follow_on_continuation_lines()
    {
        Assert.Equal("[2026-02-24 10:20:03] [9f3c2a1b] [info ] [GatewayDrain] draining\n",
            Line("9f3c2a1b", LogLevel.Information, "CliProxy.Gateway.Hosting.GatewayDrain", "draining\r\n", null));
        var text = Line(null, LogLevel.Error, "Gateway", "failed", new InvalidOperationException("boom"));
        Assert.StartsWith("[2026-02-24 10:20:03] [--------] [error] [Gateway] failed\nSystem.InvalidOperationException: boom", text);
        Assert.EndsWith("\n", text);
    }

    [Theory]
    [InlineData(LogLevel.Trace, "trace")]
    [InlineData(LogLevel.Debug, "debug")]
    [InlineData(LogLevel.Information, "info ")]
    [InlineData(LogLevel.Warning, "warn ")]
    [InlineData(LogLevel.Error, "error")]
    [InlineData(LogLevel.Critical, "fatal")]
    public void Levels_use_the_references_names(LogLevel level, string name) => Assert.Equal(name, LogLine.LevelName(level));

    [Theory]
    [InlineData("[2026-02-24 10:20:03] [--------] x", 1771928403L)]
    [InlineData("2026-02-24 10:20:03 x", 1771928403L)]
    [InlineData("    at Some.Frame()", null)]
    [InlineData("[2026-02-2", null)]
    public void The_time_stamp_of_a_line_is_read_in_the_given_zone(string line, long? expected) =>
        Assert.Equal(expected, LogLine.Timestamp(line, TimeZoneInfo.Utc));

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(0.4, "0s")]
    [InlineData(512.9, "512ms")]
    [InlineData(1000, "1s")]
    [InlineData(1500, "1.5s")]
    [InlineData(23559, "23.559s")]
    [InlineData(23050, "23.05s")]
    [InlineData(23005, "23.005s")]
    [InlineData(23500, "23.5s")]
    [InlineData(59_999, "59.999s")]
    [InlineData(60_000, "1m0s")]
    [InlineData(65_400, "1m5s")]
    [InlineData(3_602_000, "1h0m2s")]
    public void Latency_is_written_as_gos_duration(double ms, string expected) => Assert.Equal(expected, AccessLine.Latency(TimeSpan.FromMilliseconds(ms)));

    [Fact]
    public void The_access_line_aligns_its_columns_and_masks_the_query()
    {
        Assert.Equal("200 |        4.812s |       127.0.0.1 | POST    \"/v1/chat/completions?key=sk-0...cdef\"",
            AccessLine.Format(200, TimeSpan.FromMilliseconds(4812), "127.0.0.1", "POST", "/v1/chat/completions", "?key=sk-0123456789abcdef"));
        Assert.Equal(LogLevel.Error, AccessLine.LevelOf(502));
        Assert.Equal(LogLevel.Warning, AccessLine.LevelOf(404));
        Assert.Equal(LogLevel.Information, AccessLine.LevelOf(204));
    }

    [Theory]
    [InlineData(10)]
    [InlineData(300)]
    [InlineData(3000)]
    public void A_long_path_makes_a_whole_line_and_a_short_buffer_is_refused(int pathLength)
    {
        var path = "/" + new string('p', pathLength);
        var entry = new AccessLine.Entry(404, TimeSpan.FromMilliseconds(12), "10.0.0.7", "GET", path);
        var expected = $"404 |          12ms |        10.0.0.7 | GET     \"{path}\"";
        Assert.Equal(expected, entry.Line);
        Assert.Equal(expected, entry.ToString());
        Assert.False(entry.TryFormat(new char[expected.Length - 1], out _));
        var exact = new char[expected.Length];
        Assert.True(entry.TryFormat(exact, out var written));
        Assert.Equal(expected, new string(exact, 0, written));
    }

    [Theory]
    [InlineData("/v1/chat/completions", false, "v1-chat-completions-2026-02-24T102003-9f3c2a1b.log")]
    [InlineData("/v1beta/models/gemini-2.5-pro:streamGenerateContent", true, "error-v1beta-models-gemini-2.5-pro-streamGenerateContent-2026-02-24T102003-9f3c2a1b.log")]
    [InlineData("/", false, "root-2026-02-24T102003-9f3c2a1b.log")]
    [InlineData("//a<>\"|?* b--c/", false, "a-b-c-2026-02-24T102003-9f3c2a1b.log")]
    public void Request_log_names_sanitise_the_path(string path, bool errorOnly, string expected) =>
        Assert.Equal(expected, LogFileNames.RequestLog(path, At, "9f3c2a1b", errorOnly));

    [Theory]
    [InlineData("main-2026-02-23T01-02-03.456.log", true, false)]
    [InlineData("main-2026-02-23T01-02-03.456-1.log", true, false)]
    [InlineData("main-2026-02-23T01-02-03.456.log.gz", true, true)]
    [InlineData("main.log.3", true, false)]
    [InlineData("main.log", false, false)]
    [InlineData("error-v1-x-2026-02-24T102003-9f3c2a1b.log", false, false)]
    public void Rotated_application_logs_are_recognised(string name, bool rotated, bool compressed)
    {
        Assert.Equal(rotated, LogFileNames.IsRotated(name, out _, out var gz));
        Assert.Equal(compressed, gz);
    }

    [Fact]
    public void Rotated_names_carry_the_utc_time()
    {
        var name = LogFileNames.Rotated(At);
        Assert.Equal("main-2026-02-24T02-20-03.456.log", name);
        Assert.True(LogFileNames.IsRotated(name, out var at, out _));
        Assert.Equal(At, at);
    }

    [Fact]
    public void Request_ids_are_eight_hex_characters_and_do_not_repeat()
    {
        var ids = new RequestIds();
        var seen = new HashSet<string>();
        for (var i = 0; i < 200_000; i++)
        {
            var id = ids.Next();
            Assert.Matches("^[0-9a-f]{8}$", id);
            Assert.True(seen.Add(id), $"{id} repeated after {i} ids");
        }
    }
}
