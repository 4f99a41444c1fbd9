using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Support;

/// <summary>One answer of the gateway: status, body text and the response (for headers).</summary>
public sealed record Reply(int Status, string Body, HttpResponseMessage Response)
{
    /// <summary>The body parsed as JSON.</summary>
    public JsonNode? Json => JsonNode.Parse(Body);

    /// <summary>A response or content header (all values joined by ", "), or null when absent.</summary>
    public string? Header(string name)
    {
        if (Response.Headers.TryGetValues(name, out var v)) return string.Join(", ", v);
        if (Response.Content.Headers.TryGetValues(name, out var c)) return string.Join(", ", c);
        return null;
    }

    /// <inheritdoc />
    public override string ToString() => $"{Status} {Body}";
}

/// <summary>
/// Helpers for the black-box management API tests: requests with key and client address,
/// exact JSON assertions, polling with a deadline and line-level comparisons of config.yaml.
/// </summary>
public static class Mgmt
{
    /// <summary>The management key of fixtures/config/full.yaml.</summary>
    public const string Key = "mgmt-key-for-tests";

    /// <summary>Route prefix.</summary>
    public const string Prefix = "/v0/management";

    private static int _addressCounter;

    /// <summary>Environment that makes the gateway trust X-Forwarded-For from the loopback peer.</summary>
    public static Dictionary<string, string> TrustLoopback(Dictionary<string, string>? more = null)
    {
        var env = new Dictionary<string, string> { ["CLIPROXY_Http__TrustedProxies__0"] = "127.0.0.1" };
        if (more is not null)
            foreach (var (k, v) in more) env[k] = v;
        return env;
    }

    /// <summary>Starts a gateway in-process (see <see cref="InProcessGateway.StartAsync(string, Dictionary{string, string}?, string[])"/>).</summary>
    public static async Task<TestGateway> StartGatewayAsync(string configText, Dictionary<string, string>? environment = null, params string[] arguments) =>
        await InProcessGateway.StartAsync(configText, environment, arguments);

    /// <summary>Starts a gateway process (see <see cref="GatewayProcess.StartAsync(string, Dictionary{string, string}?, string[])"/>): for restarts, kills, process-wide environment and the command line.</summary>
    public static Task<GatewayProcess> StartProcessAsync(string configText, Dictionary<string, string>? environment = null, params string[] arguments) =>
        GatewayProcess.StartAsync(configText, environment, arguments);

    /// <summary>Kills the gateway and starts it again on the same folder and port.</summary>
    public static Task RestartGatewayAsync(this GatewayProcess g) => g.RestartAsync();

    /// <summary>A loopback-range client address (127.x.y.z) no other test of this process uses.</summary>
    public static string NextLocal()
    {
        return "127." + NextSuffix();
    }

    /// <summary>A remote client address (10.x.y.z) no other test of this process uses.</summary>
    public static string NextRemote()
    {
        return "10." + NextSuffix();
    }

    private static string NextSuffix()
    {
        var n = Interlocked.Increment(ref _addressCounter);
        return $"{1 + n / (254 * 256) % 250}.{n / 254 % 256}.{1 + n % 254}";
    }

    /// <summary>
    /// Sends <paramref name="method"/> to <c>/v0/management</c> + <paramref name="route"/> with
    /// <c>Authorization: Bearer key</c> (none when <paramref name="key"/> is null), an optional JSON
    /// body (sent as is, "" = empty body), an optional X-Forwarded-For client address and extra headers.
    /// </summary>
    public static Task<Reply> Call(this TestGateway g, string method, string route, string? body = null, string? key = Key,
        string? from = null, params (string Name, string Value)[] headers) =>
        g.Raw(method, Prefix + route, body, key is null ? headers : [("Authorization", "Bearer " + key), .. headers], from);

    /// <summary>Sends a request to any path with exactly the given headers (no key unless given).</summary>
    public static async Task<Reply> Raw(this TestGateway g, string method, string path, string? body = null,
        (string Name, string Value)[]? headers = null, string? from = null, HttpClient? client = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        if (from is not null) request.Headers.TryAddWithoutValidation("X-Forwarded-For", from);
        foreach (var (name, value) in headers ?? [])
            if (!request.Headers.TryAddWithoutValidation(name, value))
                request.Content!.Headers.TryAddWithoutValidation(name, value);
        var response = await (client ?? g.Client).SendAsync(request);
        return new Reply((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>GET of a management route; asserts 200 and returns the JSON body.</summary>
    public static async Task<JsonNode> GetJson(this TestGateway g, string route, string key = Key)
    {
        var r = await g.Call("GET", route, key: key);
        Assert.True(r.Status == 200, $"GET {route}: {r}");
        return r.Json!;
    }

    /// <summary>A mutation that must succeed: sends it and asserts <c>200 {"status":"ok"}</c>.</summary>
    public static async Task Ok(this TestGateway g, string method, string route, string? body = null, string key = Key)
    {
        var r = await g.Call(method, route, body, key);
        AssertOk(r, $"{method} {route} {body}");
    }

    /// <summary>Asserts <c>200 {"status":"ok"}</c>.</summary>
    public static void AssertOk(Reply r, string what = "")
    {
        Assert.True(r.Status == 200, $"{what}: expected 200 {{\"status\":\"ok\"}}, got {r}");
        AssertJson("""{"status":"ok"}""", r.Body);
    }

    /// <summary>Asserts the status and the exact body <c>{"error": message}</c>.</summary>
    public static void AssertError(Reply r, int status, string message)
    {
        var expected = new JsonObject { ["error"] = message }.ToJsonString();
        Assert.True(r.Status == status, $"expected {status} {expected}, got {r}");
        AssertJson(expected, r.Body);
    }

    /// <summary>Asserts the status and a body <c>{"error": code, "message": non-empty}</c> (message checked when given).</summary>
    public static void AssertCodedError(Reply r, int status, string code, string? message = null)
    {
        Assert.True(r.Status == status, $"expected {status} {code}, got {r}");
        var json = r.Json!.AsObject();
        Assert.Equal(code, (string?)json["error"]);
        var actualMessage = (string?)json["message"];
        Assert.False(string.IsNullOrEmpty(actualMessage), $"message missing: {r.Body}");
        if (message is not null) Assert.Equal(message, actualMessage);
        Assert.Equal(2, json.Count);
    }

    /// <summary>Asserts that two JSON texts are semantically equal (object key order ignored).</summary>
    public static void AssertJson(string expected, string actual)
    {
        JsonNode? a;
        try
        {
            a = JsonNode.Parse(actual);
        }
        catch (Exception e)
        {
            Assert.Fail($"not JSON ({e.Message}): {actual}");
            return;
        }
        var e2 = JsonNode.Parse(expected);
        Assert.True(JsonNode.DeepEquals(e2, a), $"expected JSON {e2?.ToJsonString()}\n  actual JSON {a?.ToJsonString()}");
    }

    /// <summary>Asserts that <paramref name="actual"/> equals <paramref name="expected"/>.</summary>
    public static void AssertJson(string expected, JsonNode? actual) => AssertJson(expected, actual?.ToJsonString() ?? "null");

    /// <summary>True for JSON that means "nothing": null, "", 0, false, [] or {}.</summary>
    public static bool IsEmpty(JsonNode? node) => node switch
    {
        null => true,
        JsonArray a => a.Count == 0,
        JsonObject o => o.Count == 0,
        JsonValue v when v.TryGetValue<string>(out var s) => s.Length == 0,
        JsonValue v when v.TryGetValue<bool>(out var b) => !b,
        JsonValue v when v.TryGetValue<double>(out var d) => d == 0,
        _ => false,
    };

    /// <summary>
    /// Asserts that a list entry has every field of <paramref name="expected"/> with an equal value and
    /// that any other field it has is empty (always-present fields such as claude's <c>base-url: ""</c>).
    /// </summary>
    public static void AssertEntry(string expected, JsonNode? actual)
    {
        var e = JsonNode.Parse(expected)!.AsObject();
        Assert.True(actual is JsonObject, $"expected an object like {expected}, got {actual?.ToJsonString() ?? "null"}");
        var a = actual!.AsObject();
        foreach (var (k, v) in e)
            Assert.True(JsonNode.DeepEquals(v, a[k]) || (IsEmpty(v) && IsEmpty(a[k])),
                $"field {k}: expected {v?.ToJsonString() ?? "null"}, got {a[k]?.ToJsonString() ?? "(absent)"} in {a.ToJsonString()}");
        foreach (var (k, v) in a)
            if (!e.ContainsKey(k))
                Assert.True(IsEmpty(v), $"unexpected field {k}={v?.ToJsonString() ?? "null"} in {a.ToJsonString()} (expected {expected})");
    }

    /// <summary>Asserts that a list is exactly these entries (see <see cref="AssertEntry"/>).</summary>
    public static void AssertEntries(JsonNode? actual, params string[] expected)
    {
        if (expected.Length == 0)
        {
            Assert.True(IsEmpty(actual), $"expected an empty list, got {actual?.ToJsonString()}");
            return;
        }
        Assert.True(actual is JsonArray, $"expected a list, got {actual?.ToJsonString() ?? "null"}");
        var list = actual!.AsArray();
        Assert.True(list.Count == expected.Length, $"expected {expected.Length} entries, got {list.ToJsonString()}");
        for (var i = 0; i < expected.Length; i++) AssertEntry(expected[i], list[i]);
    }

    /// <summary>Polls <paramref name="condition"/> every 50 ms until it holds; fails after <paramref name="timeout"/>.</summary>
    public static async Task Eventually(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            if (await condition()) return;
            if (DateTime.UtcNow > deadline) Assert.Fail($"not within {timeout.TotalSeconds:0.#} s: {what}");
            await Task.Delay(50);
        }
    }

    /// <summary>Checks <paramref name="condition"/> repeatedly for <paramref name="window"/>; fails as soon as it does not hold.</summary>
    public static async Task Holds(Func<Task<bool>> condition, TimeSpan window, string what)
    {
        var end = DateTime.UtcNow + window;
        do
        {
            Assert.True(await condition(), $"no longer true: {what}");
            await Task.Delay(50);
        } while (DateTime.UtcNow < end);
    }

    /// <summary>The current config.yaml text.</summary>
    public static string FileText(this TestGateway g) => File.ReadAllText(g.ConfigPath);

    /// <summary>Lines of a text (split at \n).</summary>
    public static string[] Lines(string text) => text.Split('\n');

    /// <summary>Lines removed from and added to <paramref name="before"/> (multiset difference).</summary>
    public static (List<string> Removed, List<string> Added) LineDiff(string before, string after)
    {
        var removed = Lines(before).ToList();
        var added = new List<string>();
        foreach (var line in Lines(after))
            if (!removed.Remove(line)) added.Add(line);
        return (removed, added);
    }

    /// <summary>
    /// Asserts that <paramref name="after"/> has the same lines as <paramref name="before"/>, in the
    /// same order, except exactly one, which changed from a line containing <paramref name="oldPart"/>
    /// to a line containing <paramref name="newPart"/>; returns the new line.
    /// </summary>
    public static string AssertSingleLineChanged(string before, string after, string oldPart, string newPart)
    {
        var b = Lines(before);
        var a = Lines(after);
        Assert.True(b.Length == a.Length, $"line count changed from {b.Length} to {a.Length}:\n--- before\n{before}\n--- after\n{after}");
        var changed = Enumerable.Range(0, b.Length).Where(i => b[i] != a[i]).ToList();
        Assert.True(changed.Count == 1, $"expected exactly one changed line, got {changed.Count}: " +
            string.Join(" | ", changed.Select(i => $"'{b[i]}' -> '{a[i]}'")));
        var at = changed[0];
        Assert.Contains(oldPart, b[at]);
        Assert.Contains(newPart, a[at]);
        return a[at];
    }

    /// <summary>
    /// How long a hand edit of config.yaml may take to show through the API in a test. These tests prove the path from the
    /// file to the API; the budget is generous (answers come as soon as the edit shows, normally within half a second: the
    /// watcher checks every 250 ms and reloads on the pass after a change settled) because a gateway process starved by the
    /// suite's parallel start-up once needed more than 1.5 s.
    /// </summary>
    public static readonly TimeSpan HandEditWait = TimeSpan.FromSeconds(10);

    /// <summary>Waits until a hand edit of config.yaml is visible through <c>GET route</c> (field equals <paramref name="expectedJson"/>), at most <see cref="HandEditWait"/>.</summary>
    public static Task UntilField(this TestGateway g, string route, string field, string expectedJson, string key = Key) =>
        Eventually(async () =>
        {
            var r = await g.Call("GET", route, key: key);
            return r.Status == 200 && JsonNode.DeepEquals(r.Json![field], JsonNode.Parse(expectedJson));
        }, HandEditWait, $"GET {route} shows {field}={expectedJson}");

    /// <summary>
    /// The lines of the gateway's <c>logs/main.log</c> once each of <paramref name="markers"/> is in one of them (access
    /// lines are written after the answer, by the log's writer), waiting at most 10 s.
    /// </summary>
    public static async Task<string[]> MainLogLinesWith(this TestGateway g, params string[] markers)
    {
        var mainLog = Path.Combine(g.Directory, "logs", "main.log");
        string[] lines = [];
        await Eventually(() =>
        {
            lines = File.Exists(mainLog) ? File.ReadAllLines(mainLog) : [];
            return Task.FromResult(markers.All(m => lines.Any(l => l.Contains(m))));
        }, TimeSpan.FromSeconds(10), $"main.log lines with {string.Join(", ", markers)}");
        return lines;
    }

    /// <summary>The full.yaml fixture text.</summary>
    public static string FullYaml => TestPaths.Fixture("config/full.yaml");

    /// <summary>The minimal.yaml fixture text.</summary>
    public static string MinimalYaml => TestPaths.Fixture("config/minimal.yaml");

    /// <summary>Replaces exactly one occurrence of <paramref name="old"/> in <paramref name="text"/>.</summary>
    public static string ReplaceOnce(string text, string old, string replacement)
    {
        var at = text.IndexOf(old, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{old}' not in text");
        Assert.True(text.IndexOf(old, at + old.Length, StringComparison.Ordinal) < 0, $"'{old}' occurs more than once");
        return text[..at] + replacement + text[(at + old.Length)..];
    }

    /// <summary>Writes config.yaml like an editor would (in place).</summary>
    public static void WriteFile(this TestGateway g, string text) => File.WriteAllText(g.ConfigPath, text);

    /// <summary>A client that does not follow redirects.</summary>
    public static HttpClient NoRedirectClient(TestGateway g) => g.CreateClient(allowAutoRedirect: false);

    /// <summary>Content type of a reply.</summary>
    public static string? ContentType(Reply r) => r.Response.Content.Headers.ContentType?.ToString();
}

/// <summary>One gateway on fixtures/config/full.yaml (key <see cref="Mgmt.Key"/>), shared by the tests of a class.</summary>
public sealed class FullGateway : IAsyncLifetime
{
    /// <summary>The running gateway.</summary>
    public TestGateway Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Gateway = await Mgmt.StartGatewayAsync(Mgmt.FullYaml);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>One gateway process on fixtures/config/full.yaml (key <see cref="Mgmt.Key"/>), shared by the tests of a class that restart it.</summary>
public sealed class FullGatewayProcess : IAsyncLifetime
{
    /// <summary>The running gateway process.</summary>
    public GatewayProcess Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Gateway = await Mgmt.StartProcessAsync(Mgmt.FullYaml);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>One gateway on fixtures/config/full.yaml that trusts X-Forwarded-For from 127.0.0.1 (for tests that send wrong keys).</summary>
public sealed class TrustingFullConfigGateway : IAsyncLifetime
{
    /// <summary>The running gateway.</summary>
    public TestGateway Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Gateway = await Mgmt.StartGatewayAsync(Mgmt.FullYaml, Mgmt.TrustLoopback());

    /// <inheritdoc />
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>One gateway process on fixtures/config/full.yaml that trusts X-Forwarded-For from 127.0.0.1 (for tests that need the wire).</summary>
public sealed class TrustingFullConfigGatewayProcess : IAsyncLifetime
{
    /// <summary>The running gateway process.</summary>
    public GatewayProcess Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Gateway = await Mgmt.StartProcessAsync(Mgmt.FullYaml, Mgmt.TrustLoopback());

    /// <inheritdoc />
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}
