using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace CliProxy.Harness;

/// <summary>
/// The answer to one HTTP request of a test. <see cref="Status"/> is 0 when no HTTP answer came
/// (connection refused or reset, timeout); <see cref="Failure"/> then says why.
/// </summary>
/// <param name="Status">HTTP status code, or 0 for a transport failure.</param>
/// <param name="Body">Response body text ("" for a transport failure).</param>
/// <param name="Failure">The transport failure, else null.</param>
/// <param name="Elapsed">Time from sending until the body was read (or the failure).</param>
public sealed record HttpResult(int Status, string Body, string? Failure, TimeSpan Elapsed)
{
    /// <summary>True for a 2xx answer: an acknowledged request.</summary>
    public bool IsSuccess => Status is >= 200 and < 300;

    /// <summary>True when the connection was refused: nothing listened, so the request certainly reached no gateway.</summary>
    public bool Refused { get; init; }

    /// <inheritdoc />
    public override string ToString() => Status == 0 ? $"no answer ({Failure}) after {Elapsed.TotalMilliseconds:F0} ms" : $"{Status} {Body}";
}

/// <summary>
/// A gateway process in client mode, with an HTTP client for its management API. Requests carry the
/// harness's management key unless told otherwise; <c>forwardedFor</c> sets <c>X-Forwarded-For</c>
/// (believed only when the gateway was started with <see cref="GatewayStartOptions.TrustLoopbackProxy"/>).
/// </summary>
public sealed class GatewayNode : ClusterNode
{
    /// <summary>Prefix of the management API.</summary>
    public const string Management = "/v0/management";

    private HttpClient? _http;

    internal GatewayNode(string name, string directory, Stopwatch clock, string managementKey) : base(name, NodeKind.Gateway, directory, clock)
    {
        ManagementKey = managementKey;
    }

    /// <summary>The HTTP port of the current process.</summary>
    public int HttpPort { get; private set; }

    /// <summary><c>http://127.0.0.1:&lt;port&gt;</c>.</summary>
    public Uri BaseAddress => new($"http://127.0.0.1:{HttpPort}");

    /// <summary>The key sent when a request does not name another one.</summary>
    public string ManagementKey { get; }

    /// <summary>
    /// An HTTP client for this gateway (base address set, no default headers, 30 s timeout, up to
    /// 512 connections). Use <see cref="SendAsync"/> unless a test needs the raw client.
    /// </summary>
    public HttpClient Http => _http ?? throw new InvalidOperationException($"{Name} has no port yet");

    /// <inheritdoc />
    protected override string Summary => $"http {BaseAddress}";

    internal void UsePort(int port)
    {
        HttpPort = port;
        _http?.Dispose();
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 512,
            ConnectTimeout = TimeSpan.FromSeconds(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseProxy = false,
        })
        {
            BaseAddress = BaseAddress,
            Timeout = TimeSpan.FromSeconds(30),
        };
    }

    internal void DisposeHttp()
    {
        _http?.Dispose();
        _http = null;
    }

    /// <summary>
    /// Sends a request and reads the whole answer; never throws for HTTP or transport failures
    /// (see <see cref="HttpResult.Status"/>).
    /// </summary>
    /// <param name="method">HTTP method.</param>
    /// <param name="path">Path and query, e.g. <c>/v0/management/api-keys</c>.</param>
    /// <param name="body">Body text (sent as <paramref name="contentType"/>), or null for none.</param>
    /// <param name="key">Management key to send as a bearer token; null sends <see cref="ManagementKey"/>, "" sends none.</param>
    /// <param name="forwardedFor">Value of <c>X-Forwarded-For</c>, or null for none.</param>
    /// <param name="contentType">Media type of <paramref name="body"/>.</param>
    /// <param name="cancellationToken">Cancels the request (then reported as a transport failure).</param>
    public async Task<HttpResult> SendAsync(HttpMethod method, string path, string? body = null, string? key = null, string? forwardedFor = null,
        string contentType = "application/json", CancellationToken cancellationToken = default)
    {
        using var request = new HttpRequestMessage(method, path);
        key ??= ManagementKey;
        if (key.Length > 0) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (forwardedFor is not null) request.Headers.TryAddWithoutValidation("X-Forwarded-For", forwardedFor);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType);
        var watch = Stopwatch.StartNew();
        try
        {
            using var response = await Http.SendAsync(request, cancellationToken);
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            return new HttpResult((int)response.StatusCode, text, null, watch.Elapsed);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
        {
            return new HttpResult(0, "", $"{e.GetType().Name}: {e.Message}", watch.Elapsed)
            {
                Refused = e is HttpRequestException { InnerException: System.Net.Sockets.SocketException { SocketErrorCode: System.Net.Sockets.SocketError.ConnectionRefused } },
            };
        }
    }

    /// <summary><c>GET</c> with the management key.</summary>
    public Task<HttpResult> GetAsync(string path, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Get, path, cancellationToken: cancellationToken);

    /// <summary><c>GET /readyz</c> answered 200 (the config grain answers through this gateway).</summary>
    public async Task<bool> IsReadyAsync(CancellationToken cancellationToken = default)
    {
        if (_http is null || !IsRunning) return false;
        var result = await SendAsync(HttpMethod.Get, "/readyz", key: "", cancellationToken: cancellationToken);
        return result.Status == 200;
    }

    /// <summary>Appends <paramref name="key"/> to <c>api-keys</c> (<c>PATCH /api-keys {"old":…,"new":…}</c> with an absent old key).</summary>
    public Task<HttpResult> AddApiKeyAsync(string key, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Patch, Management + "/api-keys", JsonSerializer.Serialize(new { old = "absent-" + key, @new = key }), cancellationToken: cancellationToken);

    /// <summary>Uploads a credential as a raw JSON body (<c>POST /auth-files?name=…</c>).</summary>
    public Task<HttpResult> UploadAuthFileAsync(string name, string json, CancellationToken cancellationToken = default) =>
        SendAsync(HttpMethod.Post, $"{Management}/auth-files?name={Uri.EscapeDataString(name)}", json, cancellationToken: cancellationToken);

    /// <summary>The client API keys as <c>GET /api-keys</c> lists them; throws unless it answers 200.</summary>
    public async Task<List<string>> GetApiKeysAsync(CancellationToken cancellationToken = default) =>
        StringList(await ExpectOkAsync(Management + "/api-keys", cancellationToken), "api-keys");

    /// <summary>The <c>api-keys</c> member of <c>GET /config</c>; throws unless it answers 200.</summary>
    public async Task<List<string>> GetConfigApiKeysAsync(CancellationToken cancellationToken = default) =>
        StringList(await ExpectOkAsync(Management + "/config", cancellationToken), "api-keys");

    /// <summary>The names <c>GET /auth-files</c> lists; throws unless it answers 200.</summary>
    public async Task<List<string>> GetAuthFileNamesAsync(CancellationToken cancellationToken = default)
    {
        var body = await ExpectOkAsync(Management + "/auth-files", cancellationToken);
        using var json = JsonDocument.Parse(body);
        return json.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("name").GetString()!).ToList();
    }

    /// <summary>A <c>GET</c> that must answer 200; returns the body.</summary>
    public async Task<string> ExpectOkAsync(string path, CancellationToken cancellationToken = default)
    {
        var result = await GetAsync(path, cancellationToken);
        if (result.Status != 200) throw new InvalidOperationException($"GET {path} via {Name}: {result}");
        return result.Body;
    }

    private static List<string> StringList(string body, string property)
    {
        using var json = JsonDocument.Parse(body);
        return json.RootElement.TryGetProperty(property, out var list) && list.ValueKind == JsonValueKind.Array
            ? list.EnumerateArray().Select(k => k.GetString()!).ToList()
            : [];
    }
}
