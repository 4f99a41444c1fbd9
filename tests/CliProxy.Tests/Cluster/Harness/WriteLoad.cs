using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;

namespace CliProxy.Tests.Cluster.Harness;

/// <summary>Which management write a <see cref="WriteLoad"/> request made.</summary>
public enum WriteKind
{
    /// <summary><c>PATCH /api-keys {"old":"absent-…","new":…}</c>: appends a unique client key.</summary>
    ApiKey,

    /// <summary><c>POST /auth-files?name=….json</c> with a raw JSON body: stores a unique credential.</summary>
    AuthFile,
}

/// <summary>One write of a <see cref="WriteLoad"/> and how it was answered.</summary>
/// <param name="Number">Sequence number within the load.</param>
/// <param name="Kind">What was written.</param>
/// <param name="Name">The unique key or credential file name written.</param>
/// <param name="Gateway">Name of the gateway it went through.</param>
/// <param name="StartedAt">Load time when it was sent.</param>
/// <param name="Result">The answer.</param>
public sealed record WriteOutcome(long Number, WriteKind Kind, string Name, string Gateway, TimeSpan StartedAt, HttpResult Result)
{
    /// <summary>Load time when the answer was complete.</summary>
    public TimeSpan FinishedAt => StartedAt + Result.Elapsed;

    /// <inheritdoc />
    public override string ToString() => $"#{Number} {Kind} {Name} via {Gateway} at +{StartedAt.TotalMilliseconds:F0} ms: {Result}";
}

/// <summary>
/// Unique management writes spread round-robin over gateways (alternating appended <c>api-keys</c>
/// and uploaded credentials), with every answer recorded. <see cref="CheckStateAsync"/> then checks that
/// every write acknowledged with 2xx is in the cluster's state, seen through every gateway.
/// </summary>
public sealed class WriteLoad
{
    private readonly IReadOnlyList<GatewayNode> _gateways;
    private readonly string _prefix;
    private readonly ConcurrentQueue<WriteOutcome> _outcomes = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly LoadBalancer? _balancer;
    private long _next;

    /// <summary>
    /// A load over <paramref name="gateways"/>; <paramref name="prefix"/> makes its names unique (e.g. the
    /// test's name). With a <paramref name="balancer"/>, writes go to the gateways it has in rotation.
    /// </summary>
    public WriteLoad(IReadOnlyList<GatewayNode> gateways, string prefix, LoadBalancer? balancer = null)
    {
        if (gateways.Count == 0) throw new ArgumentException("no gateway", nameof(gateways));
        _gateways = gateways;
        _balancer = balancer;
        _prefix = prefix + "-" + Guid.NewGuid().ToString("N")[..6];
    }

    /// <summary>Time since the load was created (the clock of <see cref="WriteOutcome.StartedAt"/>).</summary>
    public TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Every answered write so far.</summary>
    public IReadOnlyList<WriteOutcome> Outcomes => _outcomes.ToList();

    /// <summary>Number of writes answered with 2xx so far.</summary>
    public int Acknowledged => _outcomes.Count(o => o.Result.IsSuccess);

    /// <summary>Number of writes not answered with 2xx so far (any status, or no answer).</summary>
    public int Failed => _outcomes.Count(o => !o.Result.IsSuccess);

    /// <summary>The body uploaded for credential <paramref name="name"/> (the verification compares downloads with it).</summary>
    public static string AuthFileBody(string name) =>
        $$"""{"type":"claude","email":"{{name[..^5]}}@example.com","access_token":"FAKE-{{name}}","expired":"2030-01-01T00:00:00Z"}""";

    /// <summary>Sends the next write through the gateway it is due on (round-robin) and records the answer.</summary>
    public Task<WriteOutcome> WriteNextAsync(CancellationToken cancellationToken = default)
    {
        var number = Interlocked.Increment(ref _next);
        return WriteAsync(number, _balancer?.Pick(number) ?? _gateways[(int)(number % _gateways.Count)], cancellationToken);
    }

    /// <summary>
    /// Sends write number <paramref name="number"/> (even: api key, odd: credential) through
    /// <paramref name="gateway"/> and records the answer. When the connection is refused (the gateway is
    /// stopped) the write goes to the next gateway of the load, as a load balancer would send it.
    /// </summary>
    public async Task<WriteOutcome> WriteAsync(long number, GatewayNode gateway, CancellationToken cancellationToken = default)
    {
        var kind = number % 2 == 0 ? WriteKind.ApiKey : WriteKind.AuthFile;
        var name = kind == WriteKind.ApiKey ? $"sk-{_prefix}-{number:D5}" : $"{_prefix}-{number:D5}.json";
        var started = _clock.Elapsed;
        var result = await SendAsync(gateway);
        // As a load balancer does: a refused connection (a stopped gateway) reached nobody, so the
        // write goes to the next gateway.
        var first = _gateways.ToList().IndexOf(gateway);
        for (var i = 1; result.Refused && first >= 0 && i < _gateways.Count; i++)
        {
            gateway = _gateways[(first + i) % _gateways.Count];
            result = await SendAsync(gateway);
        }

        result = result with { Elapsed = _clock.Elapsed - started };
        var outcome = new WriteOutcome(number, kind, name, gateway.Name, started, result);
        _outcomes.Enqueue(outcome);
        return outcome;

        Task<HttpResult> SendAsync(GatewayNode to) => kind == WriteKind.ApiKey
            ? to.AddApiKeyAsync(name, cancellationToken)
            : to.UploadAuthFileAsync(name, AuthFileBody(name), cancellationToken);
    }

    /// <summary>
    /// Sends <paramref name="count"/> writes with at most <paramref name="concurrency"/> in flight
    /// (each worker sends its next write as soon as the previous one is answered).
    /// </summary>
    public async Task RunAsync(int count, int concurrency)
    {
        var remaining = count;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Decrement(ref remaining) >= 0) await WriteNextAsync();
        })));
    }

    /// <summary>
    /// Keeps <paramref name="concurrency"/> workers writing until <paramref name="stop"/> is cancelled (the
    /// writes in flight then finish); each worker waits <paramref name="pause"/> (default none) after each
    /// answer, which leaves the machine's cores to the nodes.
    /// </summary>
    public Task RunUntilAsync(CancellationToken stop, int concurrency, TimeSpan? pause = null) =>
        Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                await WriteNextAsync();
                if (pause is { } p) await Task.Delay(p);
            }
        })));

    /// <summary>The writes acknowledged with 2xx, of one kind.</summary>
    public IReadOnlyList<WriteOutcome> AcknowledgedOf(WriteKind kind) => _outcomes.Where(o => o.Kind == kind && o.Result.IsSuccess).ToList();

    /// <summary>
    /// Checks the cluster's state through <paramref name="gateways"/> and returns what is wrong (empty
    /// when all is well):
    /// <list type="bullet">
    /// <item>every acknowledged key is in <c>GET /api-keys</c> of the first gateway and in
    /// <c>GET /config</c> of each other gateway, and no key written (acknowledged or not) is listed twice;</item>
    /// <item>every acknowledged credential is listed by <c>GET /auth-files</c> of every gateway, and a
    /// sample downloads byte-identical;</item>
    /// <item>a credential whose upload was not acknowledged may or may not exist, but it is listed
    /// exactly when it can be downloaded.</item>
    /// </list>
    /// A gateway that did not take a write may learn of it a moment later, so the first two checks are
    /// repeated for up to <paramref name="convergence"/>.
    /// </summary>
    public async Task<List<string>> CheckStateAsync(IReadOnlyList<GatewayNode> gateways, TimeSpan convergence)
    {
        var keys = AcknowledgedOf(WriteKind.ApiKey).Select(o => o.Name).ToList();
        var files = AcknowledgedOf(WriteKind.AuthFile).Select(o => o.Name).ToList();
        var problems = new List<string>();
        try
        {
            await Poll.UntilAsync(async () =>
            {
                problems = await ProblemsAsync(gateways, keys, files);
                return problems.Count == 0;
            }, convergence, () => "every acknowledged write visible through every gateway", TimeSpan.FromMilliseconds(200));
        }
        catch (TimeoutException e)
        {
            problems.Insert(0, $"acknowledged writes ({keys.Count} keys, {files.Count} credentials) missing after {convergence.TotalSeconds:F0} s: {e.Message}");
            return problems;
        }

        // Writes that were not acknowledged may or may not have happened, but the list and the
        // credentials must agree: a credential is listed exactly when it can be downloaded.
        var listed = (await gateways[0].GetAuthFileNamesAsync()).ToHashSet(StringComparer.Ordinal);
        var disagreements = new List<string>();
        foreach (var failed in _outcomes.Where(o => o.Kind == WriteKind.AuthFile && !o.Result.IsSuccess))
        {
            var download = await gateways[0].GetAsync($"{GatewayNode.Management}/auth-files/download?name={Uri.EscapeDataString(failed.Name)}");
            if (download.Status is not (200 or 404)) disagreements.Add($"{failed.Name}: download answered {download}");
            else if ((download.Status == 200) != listed.Contains(failed.Name))
                disagreements.Add($"{failed.Name} (upload answered {failed.Result.Status}): download {download.Status}, {(listed.Contains(failed.Name) ? "listed" : "not listed")}");
        }

        if (disagreements.Count > 0)
            problems.Add($"credentials of {disagreements.Count} unacknowledged uploads: list and storage disagree, e.g.\n    {string.Join("\n    ", disagreements.Take(5))}");

        // Content, not only names: a sample of the credentials reads back byte for byte.
        foreach (var name in files.Where((_, i) => i % 25 == 0))
        {
            var body = await gateways[^1].GetAsync($"{GatewayNode.Management}/auth-files/download?name={Uri.EscapeDataString(name)}");
            if (body.Status != 200 || body.Body != AuthFileBody(name)) problems.Add($"download of acknowledged {name} via {gateways[^1].Name}: {body}");
        }

        return problems;
    }

    /// <summary>Counts of the answers by status and the first few failures, for messages.</summary>
    public string Summary()
    {
        var outcomes = Outcomes;
        var text = new StringBuilder($"{outcomes.Count} writes answered: ");
        text.AppendJoin(", ", outcomes.GroupBy(o => o.Result.Status).OrderBy(g => g.Key).Select(g => $"{(g.Key == 0 ? "no answer" : g.Key.ToString())} × {g.Count()}"));
        foreach (var failure in outcomes.Where(o => !o.Result.IsSuccess).OrderBy(o => o.StartedAt).Take(10)) text.Append('\n').Append("  ").Append(failure);
        return text.ToString();
    }

    private async Task<List<string>> ProblemsAsync(IReadOnlyList<GatewayNode> gateways, List<string> keys, List<string> files)
    {
        var problems = new List<string>();
        for (var i = 0; i < gateways.Count; i++)
        {
            var gateway = gateways[i];
            var (route, listed) = i == 0 ? ("GET /api-keys", await gateway.GetApiKeysAsync()) : ("GET /config", await gateway.GetConfigApiKeysAsync());
            var counts = listed.GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
            var missing = keys.Where(k => !counts.ContainsKey(k)).ToList();
            // No write, acknowledged or not, may have been applied twice.
            var doubled = Outcomes.Where(o => o.Kind == WriteKind.ApiKey && counts.GetValueOrDefault(o.Name) > 1).Select(o => o.Name).ToList();
            if (missing.Count > 0) problems.Add($"{route} via {gateway.Name} lacks {missing.Count} acknowledged keys, e.g. {string.Join(", ", missing.Take(5))}");
            if (doubled.Count > 0) problems.Add($"{route} via {gateway.Name} lists {doubled.Count} keys more than once, e.g. {string.Join(", ", doubled.Take(5))}");
            var names = (await gateway.GetAuthFileNamesAsync()).ToHashSet(StringComparer.Ordinal);
            var absent = files.Where(f => !names.Contains(f)).ToList();
            if (absent.Count > 0) problems.Add($"GET /auth-files via {gateway.Name} lacks {absent.Count} acknowledged credentials, e.g. {string.Join(", ", absent.Take(5))}");
        }

        return problems;
    }
}
