using System.Text.Json.Nodes;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>A gateway of its own for the log tests (they switch the log settings).</summary>
public sealed class LogsGateway : IAsyncLifetime
{
    /// <summary>The gateway.</summary>
    public TestGateway Gateway { get; private set; } = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => Gateway = await Mgmt.StartGatewayAsync(Mgmt.FullYaml);

    /// <inheritdoc />
    public async Task DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>
/// The log routes and headers (spec §2): request id and node headers on every answer, <c>GET /logs</c> and
/// <c>DELETE /logs</c> on the application log, request and error-only logs with their masking, the
/// download routes and their name checks, and the settings taking effect at once.
/// </summary>
[Http]
public sealed class LogsTests(LogsGateway fixture) : IClassFixture<LogsGateway>
{
    private const string HeaderSecret = "sk-header-secret-0123456789";
    private const string QuerySecret = "sk-query-secret-0123456789";
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    private TestGateway G => fixture.Gateway;

    private string LogDir => Path.Combine(G.Directory, "logs");

    private Task Set(string route, object value) => G.Ok("PUT", route, System.Text.Json.JsonSerializer.Serialize(new { value }));

    private static string IdOf(Reply r) => r.Header("X-Request-Id") ?? throw new InvalidOperationException("no X-Request-Id");

    /// <summary>A failing data-plane request (no such route yet: 404) with secrets in its header and query.</summary>
    private Task<Reply> FailingRequest(string path = "/v1/chat/completions") =>
        G.Raw("POST", $"{path}?key={QuerySecret}&x=1", """{"model":"m"}""", [("Authorization", "Bearer " + HeaderSecret)]);

    private async Task<string> UntilFile(string pattern)
    {
        string? found = null;
        await Mgmt.Eventually(() =>
        {
            found = Directory.Exists(LogDir) ? Directory.GetFiles(LogDir, pattern).Select(Path.GetFileName).FirstOrDefault() : null;
            return Task.FromResult(found is not null);
        }, Patience, $"a log file {pattern}");
        return found!;
    }

    [Fact]
    public async Task Every_answer_names_its_request_and_the_node()
    {
        var a = await G.Raw("GET", "/healthz");
        var b = await G.Call("GET", "/config");
        var c = await G.Raw("GET", "/no/such/route");
        foreach (var r in new[] { a, b, c })
        {
            Assert.Matches("^[0-9a-f]{8}$", IdOf(r));
            Assert.Equal($"{Environment.MachineName}:{G.Port}", r.Header("X-CPA-NODE"));
        }
        Assert.Equal(3, new[] { a, b, c }.Select(IdOf).Distinct().Count());
        Assert.Contains("X-Request-Id", b.Header("Access-Control-Expose-Headers"));
    }

    [Fact]
    public async Task Log_routes_refuse_while_logging_to_file_is_off()
    {
        await Set("/logging-to-file", false);
        Mgmt.AssertError(await G.Call("GET", "/logs"), 400, "logging to file disabled");
        Mgmt.AssertError(await G.Call("DELETE", "/logs"), 400, "logging to file disabled");
    }

    [Fact]
    public async Task Get_logs_tails_main_log_with_request_ids_and_masked_queries()
    {
        await Set("/logging-to-file", true);
        Assert.True(File.Exists(Path.Combine(LogDir, "main.log")), "main.log created when the setting was switched on");
        var marked = await G.Call("GET", $"/config?key={QuerySecret}");
        var id = IdOf(marked);
        JsonObject? logs = null;
        await Mgmt.Eventually(async () =>
        {
            logs = (await G.GetJson("/logs")).AsObject();
            return logs["lines"]!.AsArray().Any(l => ((string)l!).Contains($"[{id}]"));
        }, Patience, "the access line of the marked request");
        var line = logs!["lines"]!.AsArray().Select(l => (string)l!).Single(l => l.Contains($"[{id}]"));
        Assert.Matches($@"^\[\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d\] \[{id}\] \[info \] \[RequestLogMiddleware\] 200 \| +\S+ \| +127\.0\.0\.1 \| GET     ""/v0/management/config\?key=sk-q\.\.\.6789""$", line);
        Assert.True((int)logs["line-count"]! >= logs["lines"]!.AsArray().Count);
        Assert.True((long)logs["latest-timestamp"]! > 0);
        Assert.DoesNotContain(QuerySecret, File.ReadAllText(Path.Combine(LogDir, "main.log")));

        var two = (await G.GetJson("/logs?limit=2"))["lines"]!.AsArray();
        Assert.Equal(2, two.Count);
        var latest = (long)(await G.GetJson("/logs"))["latest-timestamp"]!;
        var later = await G.GetJson($"/logs?after={latest + 3600}");
        Mgmt.AssertJson($$"""{"lines":[],"line-count":{{(int)later["line-count"]!}},"latest-timestamp":{{latest + 3600}}}""", later);
        Assert.True((int)later["line-count"]! < 10, "a cutoff in the future reads only the last lines");
    }

    [Theory]
    [InlineData("abc", "invalid limit: must be a positive integer")]
    [InlineData("1.5", "invalid limit: must be a positive integer")]
    [InlineData("0", "invalid limit: must be greater than zero")]
    [InlineData("-3", "invalid limit: must be greater than zero")]
    public async Task A_bad_limit_is_400(string limit, string error)
    {
        await Set("/logging-to-file", true);
        Mgmt.AssertError(await G.Call("GET", $"/logs?limit={limit}"), 400, error);
    }

    [Fact]
    public async Task Delete_logs_truncates_main_log_and_removes_rotated_copies_only()
    {
        await Set("/logging-to-file", true);
        File.WriteAllText(Path.Combine(LogDir, "main-2020-01-01T00-00-00.000.log"), "old\n");
        File.WriteAllText(Path.Combine(LogDir, "error-keep-2020-01-01T000000-00000000.log"), "kept\n");
        var r = await G.Call("DELETE", "/logs");
        Assert.Equal(200, r.Status);
        Assert.Equal("Logs cleared successfully", (string?)r.Json!["message"]);
        Assert.True((int)r.Json!["removed"]! >= 1);
        Assert.True((bool)r.Json!["success"]!);
        Assert.Equal(3, r.Json!.AsObject().Count);
        Assert.False(File.Exists(Path.Combine(LogDir, "main-2020-01-01T00-00-00.000.log")));
        Assert.True(File.Exists(Path.Combine(LogDir, "error-keep-2020-01-01T000000-00000000.log")));
        Assert.True(File.Exists(Path.Combine(LogDir, "main.log")));
        Assert.DoesNotContain("main-2020-01-01", string.Join("\n", (await G.GetJson("/logs"))["lines"]!.AsArray().Select(l => (string)l!)));
    }

    [Fact]
    public async Task An_error_answer_writes_an_error_log_with_secrets_masked_and_the_routes_serve_it()
    {
        await Set("/request-log", false);
        var failed = await FailingRequest();
        Assert.True(failed.Status >= 400, failed.ToString());
        var id = IdOf(failed);
        var name = await UntilFile($"error-v1-chat-completions-*-{id}.log");
        Assert.Matches(@"^error-v1-chat-completions-\d{4}-\d\d-\d\dT\d{6}-" + id + @"\.log$", name);
        var text = File.ReadAllText(Path.Combine(LogDir, name));
        Assert.Contains("=== REQUEST INFO ===\n", text);
        Assert.Contains($"URL: /v1/chat/completions?key=sk-q...6789&x=1\n", text);
        Assert.Contains("Method: POST\n", text);
        Assert.Contains("Authorization: Bearer sk-h...6789\n", text);
        Assert.Contains("=== REQUEST BODY ===\n{\"model\":\"m\"}\n", text);
        Assert.Contains($"=== RESPONSE ===\nStatus: {failed.Status}\n", text);
        Assert.Contains($"X-Request-Id: {id}\n", text);
        Assert.DoesNotContain(HeaderSecret, text);
        Assert.DoesNotContain(QuerySecret, text);

        var list = (await G.GetJson("/request-error-logs"))["files"]!.AsArray();
        var entry = list.Single(f => (string?)f!["name"] == name)!.AsObject();
        Assert.Equal(["name", "size", "modified"], entry.Select(p => p.Key));
        Assert.Equal(new FileInfo(Path.Combine(LogDir, name)).Length, (long)entry["size"]!);

        var download = await G.Call("GET", $"/request-error-logs/{name}");
        Assert.Equal(200, download.Status);
        Assert.Equal(text, download.Body);
        Assert.Equal($"attachment; filename=\"{name}\"", download.Header("Content-Disposition"));
        Assert.StartsWith("text/plain", Mgmt.ContentType(download));

        var byId = await G.Call("GET", $"/request-log-by-id/{id}");
        Assert.Equal(200, byId.Status);
        Assert.Equal(text, byId.Body);
    }

    [Fact]
    public async Task With_request_log_on_every_candidate_is_logged_and_the_error_list_is_empty()
    {
        await Set("/request-log", true);
        try
        {
            var preflight = await G.Raw("OPTIONS", "/v1/messages?token=" + QuerySecret);
            Assert.Equal(204, preflight.Status);
            var id = IdOf(preflight);
            var name = await UntilFile($"v1-messages-*-{id}.log");
            Assert.DoesNotContain(QuerySecret, File.ReadAllText(Path.Combine(LogDir, name)));
            Assert.Contains("Status: 204\n", File.ReadAllText(Path.Combine(LogDir, name)));
            Mgmt.AssertJson("""{"files":[]}""", (await G.GetJson("/request-error-logs")).ToJsonString());
            // GETs and management routes are never candidates.
            var get = await G.Raw("GET", "/v1/models");
            var management = await G.Call("PUT", "/debug", """{"value":false}""");
            await Task.Delay(200);
            Assert.Empty(Directory.GetFiles(LogDir, $"*-{IdOf(get)}.log"));
            Assert.Empty(Directory.GetFiles(LogDir, $"*-{IdOf(management)}.log"));
        }
        finally
        {
            await Set("/request-log", false);
        }
    }

    [Fact]
    public async Task Only_the_newest_error_logs_are_kept()
    {
        await Set("/request-log", false);
        await Set("/error-logs-max-files", 2);
        try
        {
            var ids = new List<string>();
            for (var i = 0; i < 3; i++)
            {
                var id = IdOf(await FailingRequest($"/v1/retention{i}"));
                await UntilFile($"error-*-{id}.log");
                ids.Add(id);
            }
            var names = Directory.GetFiles(LogDir, "error-*.log").Select(Path.GetFileName).ToList();
            Assert.Equal(2, names.Count);
            Assert.Contains(names, n => n!.EndsWith($"-{ids[2]}.log"));
        }
        finally
        {
            await Set("/error-logs-max-files", 10);
        }
    }

    [Fact]
    public async Task The_size_cap_applies_as_soon_as_it_is_set_and_keeps_the_active_log()
    {
        await Set("/logging-to-file", true);
        var old = Path.Combine(LogDir, "v1-old-2020-01-01T000000-00000001.log");
        await File.WriteAllBytesAsync(old, new byte[1536 * 1024]);
        File.SetLastWriteTimeUtc(old, new DateTime(2020, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        File.SetLastWriteTimeUtc(Path.Combine(LogDir, "main.log"), new DateTime(2019, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        try
        {
            await Set("/logs-max-total-size-mb", 1);
            await Mgmt.Eventually(() => Task.FromResult(!File.Exists(old)), Patience, "the oldest request log deleted by the cap");
            Assert.True(File.Exists(Path.Combine(LogDir, "main.log")));
        }
        finally
        {
            await Set("/logs-max-total-size-mb", 0);
        }
    }

    [Fact]
    public async Task Switching_file_logging_on_writes_the_application_log_without_any_log_route()
    {
        await Set("/logging-to-file", false);
        await Set("/logging-to-file", true);
        var id = IdOf(await G.Call("GET", "/debug"));
        await Mgmt.Eventually(() => Task.FromResult(File.ReadAllText(Path.Combine(LogDir, "main.log")).Contains($"[{id}]")), Patience,
            "the access line in main.log");
        await Set("/logging-to-file", false);
        var after = IdOf(await G.Call("GET", "/debug"));
        await Task.Delay(300);
        Assert.DoesNotContain($"[{after}]", File.ReadAllText(Path.Combine(LogDir, "main.log")));
    }

    [Theory]
    [InlineData("/request-error-logs/a%5Cb.log", 400, "invalid log file name")]
    [InlineData("/request-error-logs/main.log", 404, "log file not found")]
    [InlineData("/request-error-logs/error-x.txt", 404, "log file not found")]
    [InlineData("/request-error-logs/error-missing.log", 404, "log file not found")]
    [InlineData("/request-log-by-id/%20", 400, "missing request ID")]
    [InlineData("/request-log-by-id/a%5Cb", 400, "invalid request ID")]
    [InlineData("/request-log-by-id/ffffffff", 404, "log file not found for the given request ID")]
    public async Task Names_and_ids_are_checked(string route, int status, string error)
    {
        await FailingRequest(); // the log directory exists
        await UntilFile("error-*.log");
        Mgmt.AssertError(await G.Call("GET", route), status, error);
    }

    [Fact]
    public async Task A_directory_with_a_log_name_is_not_a_log_file()
    {
        await FailingRequest();
        await UntilFile("error-*.log");
        Directory.CreateDirectory(Path.Combine(LogDir, "error-dir.log"));
        Mgmt.AssertError(await G.Call("GET", "/request-error-logs/error-dir.log"), 400, "invalid log file");
    }

    [Fact]
    public async Task The_request_log_setting_is_read_and_written_as_a_simple_setting()
    {
        await Set("/request-log", true);
        Mgmt.AssertJson("""{"request-log":true}""", (await G.GetJson("/request-log")).ToJsonString());
        await Set("/request-log", false);
        Mgmt.AssertJson("""{"request-log":false}""", (await G.GetJson("/request-log")).ToJsonString());
        Mgmt.AssertError(await G.Call("PUT", "/request-log", """{"value":"yes"}"""), 400, "invalid body");
    }
}
