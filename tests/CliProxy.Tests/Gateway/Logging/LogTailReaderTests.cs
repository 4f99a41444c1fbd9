using System.Text;
using CliProxy.Gateway.Logging;

namespace CliProxy.Tests.Gateway.Logging;

/// <summary><see cref="LogTailReader"/>: the selection of <c>GET /logs</c> (spec §2.5), read backwards and only as far as needed.</summary>
[Unit]
public sealed class LogTailReaderTests : IDisposable
{
    private static readonly DateTimeOffset T0 = new(2026, 2, 24, 10, 0, 0, TimeSpan.Zero);
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private static string At(int second, string text) => $"[{T0.AddSeconds(second):yyyy-MM-dd HH:mm:ss}] [--------] [info ] [Test] {text}";

    private static long Unix(int second) => T0.AddSeconds(second).ToUnixTimeSeconds();

    private void Write(string name, params string[] lines) => File.WriteAllText(Path.Combine(_dir.Path, name), string.Join("\n", lines) + "\n");

    private LogTail Read(long after = 0, long? limit = null) => LogTailReader.Read(_dir.Path, after, limit, TimeZoneInfo.Utc);

    private void WriteThreeFiles()
    {
        Write("main-2026-02-24T09-00-00.000.log", At(1, "oldest"), "  continuation of oldest");
        Write("main-2026-02-24T09-30-00.000.log", At(2, "middle"));
        Write("main.log", "  carried over from middle", At(4, "newest"), "  continuation of newest");
        Write("main-2026-02-24T08-00-00.000.log.gz", "not text");
        Write("error-v1-x-2026-02-24T102003-0000abcd.log", At(9, "request log, not the application log"));
    }

    [Fact]
    public void Without_cutoff_or_limit_every_line_comes_oldest_first()
    {
        WriteThreeFiles();
        var tail = Read();
        Assert.Equal([At(1, "oldest"), "  continuation of oldest", At(2, "middle"), "  carried over from middle", At(4, "newest"), "  continuation of newest"], tail.Lines);
        Assert.Equal(6, tail.LineCount);
        Assert.Equal(Unix(4), tail.LatestTimestamp);
    }

    [Fact]
    public void A_limit_keeps_the_last_lines()
    {
        WriteThreeFiles();
        Assert.Equal([At(4, "newest"), "  continuation of newest"], Read(limit: 2).Lines);
        Assert.Equal([At(2, "middle"), "  carried over from middle", At(4, "newest"), "  continuation of newest"], Read(limit: 4).Lines);
    }

    [Fact]
    public void A_cutoff_keeps_newer_lines_and_continuations_go_with_their_line_across_files()
    {
        WriteThreeFiles();
        Assert.Equal([At(2, "middle"), "  carried over from middle", At(4, "newest"), "  continuation of newest"], Read(after: Unix(1)).Lines);
        Assert.Equal([At(4, "newest"), "  continuation of newest"], Read(after: Unix(2)).Lines);
        var none = Read(after: Unix(4));
        Assert.Empty(none.Lines);
        Assert.Equal(Unix(4), none.LatestTimestamp);
        Assert.Equal(Unix(100), Read(after: Unix(100)).LatestTimestamp); // the cutoff when it is later
        Assert.Equal(["  continuation of newest"], Read(after: Unix(1), limit: 1).Lines);
    }

    [Fact]
    public void Continuations_before_any_time_stamp_count_only_without_cutoff()
    {
        Write("main.log", "no stamp", At(5, "stamped"));
        Assert.Equal(["no stamp", At(5, "stamped")], Read().Lines);
        Assert.Equal([At(5, "stamped")], Read(after: Unix(1)).Lines);
    }

    [Fact]
    public void Only_the_tail_is_read_when_the_cutoff_or_limit_allows()
    {
        var lines = Enumerable.Range(0, 20_000).Select(i => At(i, $"entry {i}")).ToArray();
        Write("main-2026-02-24T09-00-00.000.log", lines[..10_000]);
        Write("main.log", lines[10_000..]);
        var recent = Read(after: Unix(19_990));
        Assert.Equal(lines[19_991..], recent.Lines);
        Assert.True(recent.LineCount < 100, $"read {recent.LineCount} lines");
        var last = Read(limit: 3);
        Assert.Equal(lines[^3..], last.Lines);
        Assert.Equal(3, last.LineCount);
        Assert.Equal(20_000, Read().LineCount);
    }

    [Theory]
    [InlineData("", new string[0])]
    [InlineData("\n", new[] { "" })]
    [InlineData("a", new[] { "a" })]
    [InlineData("a\n", new[] { "a" })]
    [InlineData("a\r\nb\r\n", new[] { "a", "b" })]
    [InlineData("\n\nb", new[] { "", "", "b" })]
    public void Lines_split_as_gos_scanner_splits_them(string content, string[] expected)
    {
        var path = Path.Combine(_dir.Path, "x.log");
        File.WriteAllText(path, content);
        Assert.Equal(expected, LogTailReader.LinesBackward(path).Reverse());
    }

    [Fact]
    public void Lines_longer_than_a_read_block_and_multibyte_characters_survive()
    {
        var path = Path.Combine(_dir.Path, "x.log");
        var long1 = new string('é', 50_000) + "!";
        var long2 = string.Concat(Enumerable.Repeat("日本", 40_000));
        File.WriteAllText(path, $"{long1}\nshort\n{long2}\n", new UTF8Encoding(false));
        Assert.Equal([long1, "short", long2], LogTailReader.LinesBackward(path).Reverse());
    }
}
