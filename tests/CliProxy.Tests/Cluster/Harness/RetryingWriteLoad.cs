using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CliProxy.Tests.Cluster.Harness;

/// <summary>One write of a <see cref="RetryingWriteLoad"/>: every attempt's answer, in order.</summary>
/// <param name="Number">Sequence number within the load.</param>
/// <param name="ApiKey">The unique client key it appends.</param>
/// <param name="Attempts">The answers, one per attempt (gateway name, answer, replayed).</param>
public sealed record RetriedWrite(long Number, string ApiKey, IReadOnlyList<(string Gateway, HttpResult Result, bool Replayed)> Attempts)
{
    /// <summary>True when the last attempt was acknowledged with 2xx.</summary>
    public bool Succeeded => Attempts.Count > 0 && Attempts[^1].Result.IsSuccess;

    /// <inheritdoc />
    public override string ToString() =>
        $"#{Number} {ApiKey}: " + string.Join(" → ", Attempts.Select(a => $"{a.Gateway} {(a.Result.Status == 0 ? "no answer" : a.Result.Status)}{(a.Replayed ? " (replayed)" : "")}"));
}

/// <summary>
/// Appends unique client keys (<c>PATCH /api-keys {"old":"absent-…","new":…}</c>), each with its own
/// <c>Idempotency-Key</c>, the way a careful client does: an attempt that gets no answer, a 5xx or a 409
/// is sent again with the same key through the other gateway until it is acknowledged (or a deadline
/// passes). Any other answer ends the write.
/// </summary>
public sealed class RetryingWriteLoad(IReadOnlyList<GatewayNode> gateways, string prefix)
{
    private readonly string _prefix = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
    private readonly ConcurrentQueue<RetriedWrite> _writes = new();
    private long _next;
    private int _acknowledged;

    /// <summary>How long one write keeps retrying.</summary>
    public TimeSpan Deadline { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Pause before a retry.</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Writes acknowledged so far (on any attempt).</summary>
    public int Acknowledged => Volatile.Read(ref _acknowledged);

    /// <summary>Every finished write.</summary>
    public IReadOnlyList<RetriedWrite> Writes => _writes.ToList();

    /// <summary>Sends <paramref name="count"/> writes with at most <paramref name="concurrency"/> in flight.</summary>
    public Task RunAsync(int count, int concurrency)
    {
        var remaining = count;
        return Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0) await WriteAsync(Interlocked.Increment(ref _next));
        })));
    }

    private async Task WriteAsync(long number)
    {
        var apiKey = $"sk-{_prefix}-{number:D5}";
        var idempotencyKey = Guid.NewGuid().ToString();
        var body = JsonSerializer.Serialize(new { old = "absent-" + apiKey, @new = apiKey });
        var attempts = new List<(string, HttpResult, bool)>();
        var watch = Stopwatch.StartNew();
        for (var gateway = (int)(number % gateways.Count); ; gateway = (gateway + 1) % gateways.Count)
        {
            var node = gateways[gateway];
            var (result, replayed) = await SendAsync(node, body, idempotencyKey);
            attempts.Add((node.Name, result, replayed));
            var retry = result.Status is 0 or 409 or >= 500;
            if (!retry || watch.Elapsed > Deadline) break;
            await Task.Delay(RetryDelay);
        }
        var write = new RetriedWrite(number, apiKey, attempts);
        if (write.Succeeded) Interlocked.Increment(ref _acknowledged);
        _writes.Enqueue(write);
    }

    private static async Task<(HttpResult, bool Replayed)> SendAsync(GatewayNode gateway, string body, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Patch, GatewayNode.Management + "/api-keys")
        {
            Content = new StringContent(body, Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", gateway.ManagementKey);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await gateway.Http.SendAsync(request);
            var text = await response.Content.ReadAsStringAsync();
            return (new HttpResult((int)response.StatusCode, text, null, watch.Elapsed), response.Headers.Contains("Idempotent-Replayed"));
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return (new HttpResult(0, "", $"{e.GetType().Name}: {e.Message}", watch.Elapsed), false);
        }
    }

    /// <summary>Counts of the attempts by status and the writes that needed a retry, for messages.</summary>
    public string Summary()
    {
        var writes = Writes;
        var attempts = writes.SelectMany(w => w.Attempts).ToList();
        var text = new StringBuilder($"{writes.Count} writes, {attempts.Count} attempts: ");
        text.AppendJoin(", ", attempts.GroupBy(a => a.Result.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString())} × {g.Count()}"));
        foreach (var retried in writes.Where(w => w.Attempts.Count > 1).OrderBy(w => w.Number).Take(10)) text.Append("\n  ").Append(retried);
        return text.ToString();
    }
}
