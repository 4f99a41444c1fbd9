using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Http;

/// <summary>
/// <c>PUT /config.yaml</c> (spec §6.3 with correction 6: ETag / If-Match, empty documents refused)
/// and the 4 MiB body limit of the config routes. Every document PUT here keeps the fixture's
/// management key and port.
/// </summary>
public sealed class ConfigDocumentTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private GatewayProcess G => fixture.Gateway;

    /// <summary>The current file with <paramref name="old"/> replaced (once).</summary>
    private string Current(string old, string replacement) => Mgmt.ReplaceOnce(G.FileText(), old, replacement);

    private static readonly Regex DebugLine = new(@"(?m)^debug: .*$");

    /// <summary>The current file with the debug line set to <paramref name="value"/>.</summary>
    private string WithDebug(bool value) => DebugLine.Replace(G.FileText(), "debug: " + (value ? "true" : "false"));

    private async Task<Reply> PutYaml(string body, string? ifMatch = null) =>
        ifMatch is null ? await G.Call("PUT", "/config.yaml", body) : await G.Call("PUT", "/config.yaml", body, from: null, headers: [("If-Match", ifMatch)]);

    private static void AssertPutOk(Reply r)
    {
        Assert.True(r.Status == 200, r.ToString());
        Mgmt.AssertJson("""{"changed":["config"],"ok":true}""", r.Body);
        Assert.Equal("application/json; charset=utf-8", Mgmt.ContentType(r));
        Assert.False(string.IsNullOrEmpty(r.Header("ETag")), "PUT /config.yaml must answer the new ETag");
    }

    [Fact]
    public async Task Put_replaces_the_file_verbatim_and_the_new_values_apply_at_once()
    {
        await G.Ok("PUT", "/debug", """{"value":false}""");
        var before = (await G.Call("GET", "/config.yaml")).Header("ETag");
        var body = WithDebug(true) + "# appended by Put_replaces_the_file_verbatim\n";
        var r = await PutYaml(body);
        AssertPutOk(r);
        Assert.NotEqual(before, r.Header("ETag"));
        Assert.Equal(body, G.FileText());
        var get = await G.Call("GET", "/config.yaml");
        Assert.Equal(body, get.Body);
        Assert.Equal(r.Header("ETag"), get.Header("ETag"));
        Mgmt.AssertJson("""{"debug":true}""", (await G.Call("GET", "/debug")).Body);
        Assert.Equal(true, (bool?)(await G.GetJson("/config"))["debug"]);
    }

    [Fact]
    public async Task Put_stores_the_body_as_sent_while_reads_are_normalised()
    {
        var body = Current("  - api-key: \"AIzaSyFAKE-gemini-key-0002\"", "  - api-key: \"  AIzaSyFAKE-gemini-key-0002  \"\n    prefix: \"/slashed/\"");
        AssertPutOk(await PutYaml(body));
        Assert.Equal(body, G.FileText());
        var gemini = (await G.GetJson("/gemini-api-key"))["gemini-api-key"]!.AsArray();
        Mgmt.AssertEntry("""{"api-key":"AIzaSyFAKE-gemini-key-0002","prefix":"slashed"}""", gemini[^1]);
    }

    [Fact]
    public async Task Put_keeps_unknown_keys_and_later_api_saves_keep_them_too()
    {
        var body = G.FileText() + "x-put-extension:\n  owner: \"tests\"\n  level: 3\n";
        AssertPutOk(await PutYaml(body));
        await G.Ok("PUT", "/max-retry-interval", """{"value":17}""");
        var file = G.FileText();
        Assert.Contains("x-put-extension:", file);
        Assert.Contains("owner: \"tests\"", file);
        Assert.Contains("x-team-notes:", file);
    }

    [Fact]
    public async Task If_match_with_the_current_etag_succeeds()
    {
        var etag = (await G.Call("GET", "/config.yaml")).Header("ETag");
        Assert.False(string.IsNullOrEmpty(etag));
        AssertPutOk(await PutYaml(WithDebug(true), etag));
        Mgmt.AssertJson("""{"debug":true}""", (await G.Call("GET", "/debug")).Body);
    }

    [Fact]
    public async Task If_match_with_a_stale_etag_answers_412_and_changes_nothing()
    {
        await G.Ok("PUT", "/debug", """{"value":false}""");
        var etag = (await G.Call("GET", "/config.yaml")).Header("ETag")!;
        AssertPutOk(await PutYaml(G.FileText() + "# first writer\n", etag));
        var file = G.FileText();
        var r = await PutYaml(WithDebug(true), etag);
        Mgmt.AssertCodedError(r, 412, "precondition_failed");
        Assert.Equal(file, G.FileText());
        Mgmt.AssertJson("""{"debug":false}""", (await G.Call("GET", "/debug")).Body);
    }

    [Fact]
    public async Task An_api_save_makes_an_earlier_etag_stale()
    {
        await G.Ok("PUT", "/request-retry", """{"value":1}""");
        var etag = (await G.Call("GET", "/config.yaml")).Header("ETag")!;
        await G.Ok("PUT", "/request-retry", """{"value":2}""");
        Assert.NotEqual(etag, (await G.Call("GET", "/config.yaml")).Header("ETag"));
        var file = G.FileText();
        Mgmt.AssertCodedError(await PutYaml(WithDebug(true), etag), 412, "precondition_failed");
        Assert.Equal(file, G.FileText());
        Mgmt.AssertJson("""{"request-retry":2}""", (await G.Call("GET", "/request-retry")).Body);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\n")]
    [InlineData("# only a comment\n# and another\n")]
    [InlineData("\n  # indented comment\n")]
    public async Task Empty_document_answers_400_and_changes_nothing(string body)
    {
        var file = G.FileText();
        Mgmt.AssertCodedError(await PutYaml(body), 400, "invalid_yaml", "config document is empty");
        Assert.Equal(file, G.FileText());
        Assert.Equal(200, (await G.Call("GET", "/config")).Status);
    }

    [Theory]
    [InlineData("DOCbroken: [\n")]
    [InlineData("DOCdebug: true\n")]
    [InlineData("- a\n- b\n")]
    [InlineData("just a scalar\n")]
    [InlineData("DOCdebug-extra: \"unterminated\n")]
    [InlineData("\tdebug: true\n")]
    [InlineData("port: \"8317\"\n")]
    [InlineData("TYPE:debug: \"true\"")]
    [InlineData("TYPE:api-keys: abc")]
    [InlineData("TYPE:request-retry: many")]
    [InlineData("TYPE:routing: [1, 2]")]
    [InlineData("TYPE:gemini-api-key:\n  api-key: x")]
    public async Task Invalid_yaml_answers_400_invalid_yaml_and_changes_nothing(string template)
    {
        var file = G.FileText();
        var body = template.StartsWith("DOC") ? file + template[3..]
            : template.StartsWith("TYPE:") ? Mgmt.ReplaceOnce(file, "x-team-notes:", template[5..] + "\nx-team-notes:")
            : template;
        if (template.StartsWith("TYPE:")) body = RemoveOtherOccurrence(body, template[5..].Split(':')[0]);
        var etag = (await G.Call("GET", "/config.yaml")).Header("ETag");
        var r = await PutYaml(body);
        try
        {
            Mgmt.AssertCodedError(r, 400, "invalid_yaml");
            Assert.Equal(file, G.FileText());
            Assert.Equal(etag, (await G.Call("GET", "/config.yaml")).Header("ETag"));
        }
        finally
        {
            if (r.Status == 200)
            {
                // The product accepted it: put the old document back so the other tests of this class can run.
                G.WriteFile(file);
                await Mgmt.Eventually(async () => (await G.Call("GET", "/debug")).Status == 200, TimeSpan.FromSeconds(3), "old document restored");
            }
        }
    }

    /// <summary>Removes the original top-level <paramref name="key"/> entry so the injected one is the only one.</summary>
    private static string RemoveOtherOccurrence(string text, string key)
    {
        var lines = Mgmt.Lines(text).ToList();
        var first = lines.FindIndex(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        var last = lines.FindLastIndex(l => l.StartsWith(key + ":", StringComparison.Ordinal));
        if (first == last) return text;
        var end = first + 1;
        while (end < lines.Count && (lines[end].StartsWith(' ') || lines[end].Length == 0 && end + 1 < lines.Count && lines[end + 1].StartsWith(' '))) end++;
        lines.RemoveRange(first, end - first);
        return string.Join('\n', lines);
    }

    [Theory]
    [InlineData("yes", true)]
    [InlineData("\"on\"", true)]
    [InlineData("Off", false)]
    public async Task Yaml_1_1_booleans_are_accepted(string literal, bool expected)
    {
        await G.Ok("PUT", "/debug", $$"""{"value":{{(!expected).ToString().ToLowerInvariant()}}}""");
        AssertPutOk(await PutYaml(DebugLine.Replace(G.FileText(), "debug: " + literal)));
        Mgmt.AssertJson($$"""{"debug":{{expected.ToString().ToLowerInvariant()}}}""", (await G.Call("GET", "/debug")).Body);
    }

    [Theory]
    [InlineData("weird-strategy", "weird-strategy")]
    [InlineData("  FF  ", "fill-first")]
    [InlineData("RR", "round-robin")]
    public async Task Get_routing_strategy_canonicalises_or_echoes_the_stored_value(string stored, string shown)
    {
        var body = Regex.Replace(G.FileText(), @"(?m)^  strategy: .*$", $"  strategy: \"{stored}\"");
        AssertPutOk(await PutYaml(body));
        Mgmt.AssertJson($$"""{"strategy":"{{shown}}"}""", (await G.Call("GET", "/routing/strategy")).Body);
    }

    [Fact]
    public async Task Secret_longer_than_72_bytes_answers_422_invalid_config_and_changes_nothing()
    {
        var file = G.FileText();
        var body = Regex.Replace(file, @"(?m)^  secret-key: .*$", $"  secret-key: \"{new string('s', 73)}\"");
        Assert.NotEqual(file, body);
        Mgmt.AssertCodedError(await PutYaml(body), 422, "invalid_config");
        Assert.Equal(file, G.FileText());
        Assert.Equal(200, (await G.Call("GET", "/debug")).Status);
    }

    [Fact]
    public async Task Plaintext_secret_in_the_body_is_stored_as_its_hash()
    {
        var body = Regex.Replace(G.FileText(), @"(?m)^  secret-key: .*$", $"  secret-key: \"{Mgmt.Key}\"");
        Assert.Contains(Mgmt.Key, body);
        AssertPutOk(await PutYaml(body));
        var file = G.FileText();
        Assert.DoesNotContain(Mgmt.Key, file);
        Assert.Matches(@"(?m)^  secret-key: ""\$2[aby]\$10\$.{53}""", file);
        Assert.DoesNotContain(Mgmt.Key, (await G.Call("GET", "/config.yaml")).Body);
        Assert.Equal(200, (await G.Call("GET", "/debug")).Status);
        // Apart from the secret the file is the body.
        var (removed, added) = Mgmt.LineDiff(body, file);
        Assert.Single(removed);
        Assert.Single(added);
    }

    public static TheoryData<string, string> OversizedRoutes => new()
    {
        { "PUT", "/config.yaml" },
        { "PUT", "/api-keys" },
        { "PUT", "/gemini-api-key" },
        { "PATCH", "/debug" },
        { "PUT", "/oauth-excluded-models" },
        { "DELETE", "/ampcode/model-mappings" },
    };

    [Theory]
    [MemberData(nameof(OversizedRoutes))]
    public async Task Bodies_over_4_MiB_answer_413_and_change_nothing(string method, string route)
    {
        var file = G.FileText();
        var body = "#" + new string(' ', 4 * 1024 * 1024) + "\n";
        var r = await G.Call(method, route, body);
        Assert.Equal(413, r.Status);
        Assert.Equal(file, G.FileText());
    }

    [Fact]
    public async Task Chunked_body_over_4_MiB_answers_413()
    {
        var file = G.FileText();
        using var request = new HttpRequestMessage(HttpMethod.Put, Mgmt.Prefix + "/config.yaml") { Content = new UnsizedContent(4 * 1024 * 1024 + 10) };
        request.Headers.TryAddWithoutValidation("Authorization", "Bearer " + Mgmt.Key);
        using var response = await G.Client.SendAsync(request);
        Assert.Equal(413, (int)response.StatusCode);
        Assert.Equal(file, G.FileText());
    }

    /// <summary>A body of spaces without Content-Length (sent chunked).</summary>
    private sealed class UnsizedContent(int size) : HttpContent
    {
        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            var chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
            for (var sent = 0; sent < size; sent += chunk.Length)
            {
                try
                {
                    await stream.WriteAsync(chunk.AsMemory(0, Math.Min(chunk.Length, size - sent)));
                }
                catch (IOException)
                {
                    return; // the server may stop reading once the limit is crossed
                }
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = -1;
            return false;
        }
    }
}

/// <summary><c>GET /config.yaml</c> when the file is gone (spec §6.2).</summary>
public sealed class ConfigFileMissingTests
{
    [Fact]
    public async Task Get_config_yaml_answers_404_not_found_when_the_file_is_missing()
    {
        await using var g = await Mgmt.StartGatewayAsync(Mgmt.FullYaml);
        File.Delete(g.ConfigPath);
        Reply? last = null;
        await Mgmt.Eventually(async () => (last = await g.Call("GET", "/config.yaml")).Status == 404, TimeSpan.FromSeconds(3), "GET /config.yaml answers 404");
        Mgmt.AssertCodedError(last!, 404, "not_found", "config file not found");
        // The running configuration is still served.
        Assert.Equal(200, (await g.Call("GET", "/debug")).Status);
    }
}

/// <summary>A minimal HTTP/1.1 server for <c>/latest-version</c>: answers every request with the configured reply and records it.</summary>
public sealed class ReleaseFeedStub : IAsyncDisposable
{
    private readonly System.Net.Sockets.TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    /// <summary>Starts listening.</summary>
    public ReleaseFeedStub()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(LoopAsync);
    }

    /// <summary>Port.</summary>
    public int Port { get; }

    /// <summary>Status and body of the next answers; status 0 = close the connection without answering.</summary>
    public (int Status, string Body) Reply { get; set; } = (200, """{"tag_name":"v0.0.1"}""");

    /// <summary>Request heads received (request line first, then header lines).</summary>
    public List<string[]> Requests { get; } = [];

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            System.Net.Sockets.TcpClient client;
            try
            {
                client = await _listener.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception)
            {
                return;
            }
            _ = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(System.Net.Sockets.TcpClient client)
    {
        using (client)
        {
            var stream = client.GetStream();
            var head = new StringBuilder();
            var buffer = new byte[1];
            while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
            {
                if (await stream.ReadAsync(buffer) == 0) return;
                head.Append((char)buffer[0]);
            }
            lock (Requests) Requests.Add(head.ToString().Split("\r\n", StringSplitOptions.RemoveEmptyEntries));
            var (status, body) = Reply;
            if (status == 0) return;
            var bytes = Encoding.UTF8.GetBytes(body);
            var response = $"HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {bytes.Length}\r\nConnection: close\r\n\r\n";
            await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
            await stream.WriteAsync(bytes);
        }
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        try
        {
            await _loop;
        }
        catch (Exception)
        {
        }
    }
}

/// <summary>A gateway whose release feed (<c>Gateway:LatestReleaseUrl</c>) is a local stub.</summary>
public sealed class ReleaseFeedGateway : IAsyncLifetime
{
    /// <summary>The stub feed.</summary>
    public ReleaseFeedStub Feed { get; } = new();

    /// <summary>The gateway.</summary>
    public GatewayProcess Gateway { get; private set; } = null!;

    /// <summary>Path the gateway asks for.</summary>
    public const string FeedPath = "/repos/router-for-me/CLIProxyAPI/releases/latest";

    /// <inheritdoc />
    public async Task InitializeAsync() => Gateway = await Mgmt.StartGatewayAsync(Mgmt.FullYaml, new Dictionary<string, string>
    {
        ["CLIPROXY_Gateway__LatestReleaseUrl"] = $"http://127.0.0.1:{Feed.Port}{FeedPath}",
        ["HTTP_PROXY"] = "",
        ["HTTPS_PROXY"] = "",
        ["ALL_PROXY"] = "",
    });

    /// <inheritdoc />
    public async Task DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Feed.DisposeAsync();
    }
}

/// <summary><c>GET /latest-version</c> (spec §6.4) against a stub release feed.</summary>
public sealed class LatestVersionTests(ReleaseFeedGateway fixture) : IClassFixture<ReleaseFeedGateway>
{
    private GatewayProcess G => fixture.Gateway;

    private async Task<Reply> Ask((int, string) reply)
    {
        await G.Ok("DELETE", "/proxy-url");
        fixture.Feed.Reply = reply;
        return await G.Call("GET", "/latest-version");
    }

    [Fact]
    public async Task Tag_name_is_returned_trimmed_and_the_feed_is_asked_like_github()
    {
        var file = G.FileText();
        int before;
        lock (fixture.Feed.Requests) before = fixture.Feed.Requests.Count;
        var r = await Ask((200, """{"tag_name":"  v6.2.1  ","name":"Release 6.2.1"}"""));
        Assert.Equal(200, r.Status);
        Mgmt.AssertJson("""{"latest-version":"v6.2.1"}""", r.Body);
        string[] head;
        lock (fixture.Feed.Requests) head = fixture.Feed.Requests.Skip(before).Last();
        Assert.Equal($"GET {ReleaseFeedGateway.FeedPath} HTTP/1.1", head[0]);
        Assert.Contains(head, h => h.Equals("Accept: application/vnd.github+json", StringComparison.OrdinalIgnoreCase));
        Assert.Contains(head, h => Regex.IsMatch(h, @"^User-Agent: CLIProxyAPI$", RegexOptions.IgnoreCase));
        Assert.Equal(file, G.FileText());
    }

    [Fact]
    public async Task Name_is_the_fallback_when_the_tag_is_blank()
    {
        var r = await Ask((200, """{"tag_name":"  ","name":" v7.0.0 "}"""));
        Mgmt.AssertJson("""{"latest-version":"v7.0.0"}""", r.Body);
    }

    [Fact]
    public async Task Non_200_answers_502_unexpected_status_with_the_trimmed_body()
    {
        var r = await Ask((503, "  down for maintenance \n"));
        Mgmt.AssertCodedError(r, 502, "unexpected_status", "status 503: down for maintenance");
    }

    [Fact]
    public async Task Unexpected_status_message_holds_at_most_1024_bytes_of_the_body()
    {
        var r = await Ask((500, new string('x', 3000)));
        Mgmt.AssertCodedError(r, 502, "unexpected_status", "status 500: " + new string('x', 1024));
    }

    [Fact]
    public async Task Undecodable_answer_is_502_decode_failed()
    {
        Mgmt.AssertCodedError(await Ask((200, "<html>not json</html>")), 502, "decode_failed");
    }

    [Fact]
    public async Task Answer_without_version_is_502_invalid_response()
    {
        Mgmt.AssertCodedError(await Ask((200, """{"tag_name":"","name":""}""")), 502, "invalid_response", "missing release version");
        Mgmt.AssertCodedError(await Ask((200, "{}")), 502, "invalid_response", "missing release version");
    }

    [Fact]
    public async Task Transport_failure_is_502_request_failed()
    {
        Mgmt.AssertCodedError(await Ask((0, "")), 502, "request_failed");
    }

    [Fact]
    public async Task Proxy_url_is_used_for_the_request()
    {
        try
        {
            await G.Ok("PUT", "/proxy-url", $$"""{"value":"http://127.0.0.1:{{fixture.Feed.Port}}"}""");
            fixture.Feed.Reply = (200, """{"tag_name":"v-proxied"}""");
            int before;
            lock (fixture.Feed.Requests) before = fixture.Feed.Requests.Count;
            var r = await G.Call("GET", "/latest-version");
            Mgmt.AssertJson("""{"latest-version":"v-proxied"}""", r.Body);
            string[] head;
            lock (fixture.Feed.Requests) head = fixture.Feed.Requests.Skip(before).Last();
            // A request through an HTTP proxy carries the absolute URL.
            Assert.Equal($"GET http://127.0.0.1:{fixture.Feed.Port}{ReleaseFeedGateway.FeedPath} HTTP/1.1", head[0]);
        }
        finally
        {
            await G.Ok("DELETE", "/proxy-url");
        }
    }
}
