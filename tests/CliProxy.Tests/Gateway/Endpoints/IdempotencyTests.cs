using System.Text.Json;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// <c>Idempotency-Key</c> on management writes: the same key again answers the first answer (status,
/// content type, body) without applying the request again; a key reused for another request answers 422;
/// a malformed key 400; requests without the header behave as before.
/// </summary>
[Http]
public sealed class IdempotencyTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    internal const string Replayed = "Idempotent-Replayed";

    private TestGateway G => fixture.Gateway;

    internal static (string, string) Key(string key) => ("Idempotency-Key", key);

    internal static string NewKey() => Guid.NewGuid().ToString();

    internal static string Append(string apiKey) => JsonSerializer.Serialize(new { old = "absent-" + apiKey, @new = apiKey });

    private async Task<int> Count(string apiKey) =>
        (await G.GetJson("/api-keys"))["api-keys"]!.AsArray().Count(k => (string)k! == apiKey);

    [Fact]
    public async Task The_same_key_twice_on_patch_api_keys_appends_once_and_answers_the_identical_answer()
    {
        var key = NewKey();
        var first = await G.Call("PATCH", "/api-keys", Append("sk-idem-http-once"), headers: Key(key));
        var second = await G.Call("PATCH", "/api-keys", Append("sk-idem-http-once"), headers: Key(key));

        Mgmt.AssertOk(first);
        Assert.Equal((first.Status, first.Body, Mgmt.ContentType(first)), (second.Status, second.Body, Mgmt.ContentType(second)));
        Assert.Null(first.Header(Replayed));
        Assert.Equal("true", second.Header(Replayed));
        Assert.Equal(1, await Count("sk-idem-http-once"));
    }

    [Fact]
    public async Task Without_the_header_every_request_is_applied_as_before()
    {
        Mgmt.AssertOk(await G.Call("PATCH", "/api-keys", Append("sk-idem-http-none")));
        var again = await G.Call("PATCH", "/api-keys", Append("sk-idem-http-none"));
        Mgmt.AssertOk(again);
        Assert.Null(again.Header(Replayed));
        Assert.Equal(2, await Count("sk-idem-http-none"));
    }

    [Fact]
    public async Task A_key_reused_for_another_body_or_route_answers_422_and_applies_nothing()
    {
        var key = NewKey();
        Mgmt.AssertOk(await G.Call("PATCH", "/api-keys", Append("sk-idem-http-first"), headers: Key(key)));
        Mgmt.AssertError(await G.Call("PATCH", "/api-keys", Append("sk-idem-http-other"), headers: Key(key)), 422, "Idempotency-Key was already used for a different request");
        Mgmt.AssertError(await G.Call("PUT", "/debug", """{"value":true}""", headers: Key(key)), 422, "Idempotency-Key was already used for a different request");
        Assert.Equal(0, await Count("sk-idem-http-other"));
    }

    [Fact]
    public async Task A_malformed_key_answers_400_and_applies_nothing()
    {
        const string message = "invalid Idempotency-Key: one value of 1 to 255 printable ASCII characters";
        Mgmt.AssertError(await G.Call("PATCH", "/api-keys", Append("sk-idem-http-bad"), headers: Key(new string('k', 256))), 400, message);
        Assert.Equal(0, await Count("sk-idem-http-bad"));
        Mgmt.AssertOk(await G.Call("PATCH", "/api-keys", Append("sk-idem-http-bad"), headers: Key(new string('k', 255))));
    }

    [Fact]
    public async Task A_refusal_is_replayed_too()
    {
        var key = NewKey();
        var first = await G.Call("PATCH", "/api-keys", """{"nothing":1}""", headers: Key(key));
        Mgmt.AssertError(first, 400, "missing fields");
        var again = await G.Call("PATCH", "/api-keys", """{"nothing":1}""", headers: Key(key));
        Mgmt.AssertError(again, 400, "missing fields");
        Assert.Equal("true", again.Header(Replayed));
    }

    [Fact]
    public async Task A_delete_by_index_sent_twice_with_its_key_removes_one_entry()
    {
        await G.Ok("PUT", "/api-keys", """["sk-idem-d0","sk-idem-d1","sk-idem-d2"]""");
        var key = NewKey();
        Mgmt.AssertOk(await G.Call("DELETE", "/api-keys?index=0", headers: Key(key)));
        Mgmt.AssertOk(await G.Call("DELETE", "/api-keys?index=0", headers: Key(key)));
        Mgmt.AssertJson("""{"api-keys":["sk-idem-d1","sk-idem-d2"]}""", (await G.Call("GET", "/api-keys")).Body);
    }

    [Fact]
    public async Task A_config_yaml_put_retried_with_its_now_stale_if_match_answers_its_first_200()
    {
        var current = await G.Call("GET", "/config.yaml");
        var etag = current.Header("ETag")!;
        var yaml = current.Body + "x-idempotent-put: 1\n";
        var key = NewKey();
        var first = await G.Call("PUT", "/config.yaml", yaml, headers: [Key(key), ("If-Match", etag)]);
        Assert.Equal(200, first.Status);
        var again = await G.Call("PUT", "/config.yaml", yaml, headers: [Key(key), ("If-Match", etag)]);
        Assert.Equal((200, first.Body), (again.Status, again.Body));
        Assert.Equal(412, (await G.Call("PUT", "/config.yaml", yaml, headers: ("If-Match", etag))).Status);
    }

    [Fact]
    public async Task A_multipart_upload_built_again_with_a_new_boundary_is_replayed()
    {
        var key = NewKey();
        var part = FilePart.Text("file", "idem-upload.json", """{"type":"claude","email":"idem@example.com"}""");
        async Task<Reply> Upload()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, Mgmt.Prefix + "/auth-files") { Content = AuthKit.Multipart([part]) };
            request.Headers.Authorization = new("Bearer", Mgmt.Key);
            request.Headers.Add("Idempotency-Key", key);
            var response = await G.Client.SendAsync(request);
            return new Reply((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
        }
        var first = await Upload();
        Mgmt.AssertOk(first);
        var again = await Upload();
        Assert.Equal((first.Status, first.Body, "true"), (again.Status, again.Body, again.Header(Replayed)));
    }

    [Fact]
    public async Task A_request_refused_by_the_access_check_does_not_take_the_key()
    {
        var key = NewKey();
        Assert.Equal(401, (await G.Call("PATCH", "/api-keys", Append("sk-idem-http-auth"), key: "wrong-key", from: null, headers: Key(key))).Status);
        var accepted = await G.Call("PATCH", "/api-keys", Append("sk-idem-http-auth"), headers: Key(key));
        Mgmt.AssertOk(accepted);
        Assert.Null(accepted.Header(Replayed));
        Assert.Equal(1, await Count("sk-idem-http-auth"));
    }

    [Fact]
    public async Task A_read_with_the_header_is_untouched()
    {
        var key = NewKey();
        var first = await G.Call("GET", "/api-keys", headers: Key(key));
        Assert.Equal(200, first.Status);
        Assert.Null((await G.Call("GET", "/api-keys", headers: Key(key))).Header(Replayed));
        // ...and the key is still free for a write.
        Assert.Null((await G.Call("PUT", "/debug", """{"value":false}""", headers: Key(key))).Header(Replayed));
    }
}
