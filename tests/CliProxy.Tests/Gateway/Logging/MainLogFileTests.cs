using CliProxy.Gateway.Logging;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Gateway.Logging;

/// <summary><see cref="MainLogFile"/>: created, appended, rotated by renaming, cleared through the writer (spec §2.2, §2.5).</summary>
[Unit]
public sealed class MainLogFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 2, 23, 1, 2, 3, 456, TimeSpan.Zero));

    private string Logs => Path.Combine(_dir.Path, "logs");

    private string Main => Path.Combine(Logs, "main.log");

    public void Dispose() => _dir.Dispose();

    private static string Entry(char c, int length) => new string(c, length - 1) + "\n";

    private static byte[] Utf8Entry(char c, int length) => System.Text.Encoding.UTF8.GetBytes(Entry(c, length));

    [Fact]
    public void Enabling_creates_the_file_and_entries_are_appended_only_while_on()
    {
        using var file = new MainLogFile(Logs, _time);
        file.Append("lost\n"u8.ToArray());
        Assert.False(Directory.Exists(Logs));
        file.SetEnabled(true);
        Assert.True(File.Exists(Main));
        file.Append("one\n"u8.ToArray());
        file.Append("two\n"u8.ToArray());
        file.SetEnabled(false);
        file.Append("three\n"u8.ToArray());
        file.SetEnabled(true);
        file.Append("four\n"u8.ToArray());
        file.Flush();
        Assert.Equal("one\ntwo\nfour\n", File.ReadAllText(Main));
    }

    [Fact]
    public void Entries_are_written_by_a_work_item_and_disposing_writes_what_is_still_queued()
    {
        var file = new MainLogFile(Logs, _time);
        file.SetEnabled(true);
        file.Append("one\n"u8.ToArray());
        file.Dispose();
        Assert.Equal("one\n", File.ReadAllText(Main));
        using var again = new MainLogFile(Logs, _time);
        again.SetEnabled(true);
        again.Append("two\n"u8.ToArray());
        // No Flush: the queued work item writes it.
        Assert.True(SpinWait.SpinUntil(() => File.ReadAllText(Main) == "one\ntwo\n", TimeSpan.FromSeconds(10)), File.ReadAllText(Main));
    }

    [Fact]
    public async Task Concurrent_entries_are_all_written_whole_and_none_is_left_queued()
    {
        using var file = new MainLogFile(Logs, _time, rotateBytes: 64 * 1024);
        file.SetEnabled(true);
        await Task.WhenAll(Enumerable.Range(0, 8).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++) file.Append(System.Text.Encoding.UTF8.GetBytes($"writer {t} entry {i:D4} {new string('x', 40)}\n"));
        })));

        // Every caller has returned; Flush writes what the drain work items have not written yet.
        file.Flush();
        var lines = ReadAll().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(8 * 2000, lines.Length);
        Assert.All(lines, l => Assert.Matches(@"^writer \d entry \d{4} x{40}$", l));
        Assert.Equal(8 * 2000, lines.Distinct().Count());
    }

    /// <summary>main.log and every rotated copy, oldest first.</summary>
    private string ReadAll()
    {
        return string.Concat(Directory.GetFiles(Logs).Where(f => f != Main).Order().Append(Main)
            .Select(f => { using var s = new StreamReader(new FileStream(f, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete)); return s.ReadToEnd(); }));
    }

    [Fact]
    public void A_write_past_the_size_renames_the_file_with_the_utc_time_and_starts_a_new_one()
    {
        using var file = new MainLogFile(Logs, _time, rotateBytes: 100);
        file.SetEnabled(true);
        file.Append(Utf8Entry('a', 60));
        file.Append(Utf8Entry('b', 60));
        file.Append(Utf8Entry('c', 30));
        file.Append(Utf8Entry('d', 60)); // same millisecond: a second rotated name
        file.Flush();
        Assert.Equal(Entry('a', 60), File.ReadAllText(Path.Combine(Logs, "main-2026-02-23T01-02-03.456.log")));
        Assert.Equal(Entry('b', 60) + Entry('c', 30), File.ReadAllText(Path.Combine(Logs, "main-2026-02-23T01-02-03.456-1.log")));
        Assert.Equal(Entry('d', 60), File.ReadAllText(Main));
    }

    [Fact]
    public void An_existing_file_counts_towards_the_size()
    {
        Directory.CreateDirectory(Logs);
        File.WriteAllText(Main, Entry('x', 90));
        using var file = new MainLogFile(Logs, _time, rotateBytes: 100);
        file.SetEnabled(true);
        file.Append(Utf8Entry('y', 20));
        file.Flush();
        Assert.Equal(Entry('y', 20), File.ReadAllText(Main));
        Assert.Single(Directory.GetFiles(Logs, "main-*.log"));
    }

    [Fact]
    public void Clear_truncates_main_log_deletes_rotated_copies_and_resets_the_rotation_size()
    {
        using var file = new MainLogFile(Logs, _time, rotateBytes: 100);
        file.SetEnabled(true);
        file.Append(Utf8Entry('a', 60));
        file.Append(Utf8Entry('b', 60)); // rotates
        file.Flush();
        File.WriteAllText(Path.Combine(Logs, "main.log.2"), "legacy\n");
        File.WriteAllText(Path.Combine(Logs, "main-2020-01-01T00-00-00.000.log.gz"), "gz");
        File.WriteAllText(Path.Combine(Logs, "error-v1-x-2026-02-24T102003-0000abcd.log"), "kept");
        var result = file.Clear();
        Assert.Equal(new LogClearResult(3, null), result);
        Assert.Equal(0, new FileInfo(Main).Length);
        Assert.Equal(["error-v1-x-2026-02-24T102003-0000abcd.log", "main.log"], Directory.GetFiles(Logs).Select(Path.GetFileName).Order());
        // The reference's writer still counted the cleared bytes and rotated early (defect 13).
        file.Append(Utf8Entry('c', 90));
        file.Flush();
        Assert.Equal(Entry('c', 90), File.ReadAllText(Main));
        Assert.Empty(Directory.GetFiles(Logs, "main-*.log"));
    }

    [Fact]
    public void A_removed_directory_is_created_again_by_the_next_entry()
    {
        using var file = new MainLogFile(Logs, _time);
        file.SetEnabled(true);
        file.Append("one\n"u8.ToArray());
        file.Dispose();
        Directory.Delete(Logs, recursive: true);
        using var again = new MainLogFile(Logs, _time);
        again.SetEnabled(true);
        again.Append("two\n"u8.ToArray());
        again.Flush();
        Assert.Equal("two\n", File.ReadAllText(Main));
    }
}
