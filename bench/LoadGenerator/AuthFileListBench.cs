using System.Diagnostics;
using System.Net.Http.Headers;

namespace CliProxy.Bench;

/// <summary>
/// Credential listing at scale: for 1,000 and 10,000 credential files in auth-dir, the time to
/// start, the first <c>GET /auth-files</c> (which adopts the folder), and the median of later lists.
/// </summary>
public static class AuthFileListBench
{
    private static readonly int[] Sizes = [1_000, 10_000];

    public static async Task RunAsync(BenchOptions options)
    {
        var template = File.ReadAllText(Path.Combine(GatewayUnderTest.Root, "tests", "fixtures", "auth-files", "claude-example.json"));
        var rows = new List<(int Files, TimeSpan Startup, TimeSpan First, TimeSpan Median, long Bytes)>();
        foreach (var n in Sizes)
        {
            await using var gateway = await GatewayUnderTest.StartAsync(options.Configuration, dir =>
            {
                var auths = Path.Combine(dir, "auths");
                Directory.CreateDirectory(auths);
                for (var i = 0; i < n; i++)
                    File.WriteAllText(Path.Combine(auths, $"claude-user{i:D5}@example.com.json"), template.Replace("user@example.com", $"user{i:D5}@example.com"));
            });
            using var http = new HttpClient { BaseAddress = gateway.BaseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayUnderTest.Key);
            var (first, bytes) = await TimeList(http, n);
            var samples = new List<TimeSpan>();
            for (var i = 0; i < 20; i++) samples.Add((await TimeList(http, n)).Elapsed);
            var median = samples.Order().ElementAt(samples.Count / 2);
            rows.Add((n, gateway.StartupTime, first, median, bytes));
            Console.WriteLine($"{n} files: startup {gateway.StartupTime.TotalMilliseconds:F0} ms, first list {first.TotalMilliseconds:F0} ms, list median {median.TotalMilliseconds:F1} ms, {bytes / 1024} KiB");
        }
        Console.WriteLine();
        Console.WriteLine("| credential files | start-up until ready | first list (adopts the folder) | list, median of 20 | body |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        foreach (var r in rows)
            Console.WriteLine($"| {r.Files:N0} | {r.Startup.TotalMilliseconds:F0} ms | {r.First.TotalMilliseconds:F0} ms | {r.Median.TotalMilliseconds:F1} ms | {r.Bytes / 1024} KiB |");
        Console.WriteLine($"\nratio 10k/1k: list {rows[1].Median / rows[0].Median:F1}x, first list {rows[1].First / rows[0].First:F1}x");
    }

    private static async Task<(TimeSpan Elapsed, long Bytes)> TimeList(HttpClient http, int expected)
    {
        var watch = Stopwatch.StartNew();
        var body = await http.GetByteArrayAsync("/v0/management/auth-files");
        var elapsed = watch.Elapsed;
        var count = System.Text.Json.JsonDocument.Parse(body).RootElement.GetProperty("files").GetArrayLength();
        if (count != expected) throw new InvalidOperationException($"listed {count} credentials, expected {expected}");
        return (elapsed, body.Length);
    }
}
