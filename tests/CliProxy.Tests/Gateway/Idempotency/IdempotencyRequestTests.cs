using System.Text;
using CliProxy.Gateway.Idempotency;
using CliProxy.Gateway.Management;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;

namespace CliProxy.Tests.Gateway.Idempotency;

/// <summary>The header's syntax, the identity scope and the request fingerprint.</summary>
[Unit]
public sealed class IdempotencyRequestTests
{
    [Theory]
    [InlineData("a", true)]
    [InlineData("8e03978e-40d5-43e8-bc93-6894a57f9324", true)]
    [InlineData("with space and ~!@#$%^&*()", true)]
    [InlineData("", false)]
    [InlineData("tab\there", false)]
    [InlineData("ключ", false)]
    [InlineData("del\u007f", false)]
    public void A_key_is_1_to_255_printable_ASCII_characters(string key, bool valid) =>
        Assert.Equal(valid ? key : null, IdempotencyRequest.ValidKey(key));

    [Fact]
    public void A_key_over_255_characters_or_sent_twice_is_invalid()
    {
        Assert.NotNull(IdempotencyRequest.ValidKey(new string('k', 255)));
        Assert.Null(IdempotencyRequest.ValidKey(new string('k', 256)));
        Assert.Null(IdempotencyRequest.ValidKey(new StringValues(["a", "b"])));
    }

    [Fact]
    public void The_same_key_of_different_identities_is_a_different_key()
    {
        var secrets = new ManagementSecrets("env-secret", "");
        var bySecret = Request("POST", "/x", "", "", key: "config-secret");
        var byEnv = Request("POST", "/x", "", "", key: "env-secret");
        var one = IdempotencyRequest.Scope(IdempotencyRequest.Identity(bySecret.Request, secrets, "$2a$10$hash"), "k");
        var two = IdempotencyRequest.Scope(IdempotencyRequest.Identity(byEnv.Request, secrets, "$2a$10$hash"), "k");
        var rotated = IdempotencyRequest.Scope(IdempotencyRequest.Identity(bySecret.Request, secrets, "$2a$10$other"), "k");
        Assert.Equal(32, one.Length);
        Assert.Equal(3, new[] { one, two, rotated }.Distinct().Count());
        Assert.DoesNotContain("config-secret", IdempotencyRequest.Identity(bySecret.Request, secrets, "$2a$10$hash"));
    }

    [Fact]
    public async Task The_fingerprint_covers_method_path_query_and_body_and_leaves_the_body_readable()
    {
        var http = Request("PATCH", "/v0/management/api-keys", "", """{"old":"a","new":"b"}""");
        var print = await IdempotencyRequest.FingerprintAsync(http.Request, default);
        Assert.Equal("""{"old":"a","new":"b"}""", await new StreamReader(http.Request.Body).ReadToEndAsync());
        Assert.Equal(print, await Fingerprint("PATCH", "/v0/management/api-keys", "", """{"old":"a","new":"b"}"""));
        Assert.NotEqual(print, await Fingerprint("PATCH", "/v0/management/api-keys", "", """{"old":"a","new":"c"}"""));
        Assert.NotEqual(print, await Fingerprint("PUT", "/v0/management/api-keys", "", """{"old":"a","new":"b"}"""));
        Assert.NotEqual(print, await Fingerprint("PATCH", "/v0/management/gemini-api-key", "", """{"old":"a","new":"b"}"""));
        Assert.NotEqual(print, await Fingerprint("PATCH", "/v0/management/api-keys", "?index=1", """{"old":"a","new":"b"}"""));
    }

    [Fact]
    public async Task A_multipart_upload_built_again_with_another_boundary_has_the_same_fingerprint()
    {
        static string Upload(string boundary, string content) =>
            $"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.json\"\r\nContent-Type: application/json\r\n\r\n{content}\r\n--{boundary}--\r\n";
        var first = await Fingerprint("POST", "/v0/management/auth-files", "", Upload("b1", "{\"type\":\"claude\"}"), "multipart/form-data; boundary=b1");
        var again = await Fingerprint("POST", "/v0/management/auth-files", "", Upload("other-boundary", "{\"type\":\"claude\"}"), "multipart/form-data; boundary=other-boundary");
        var different = await Fingerprint("POST", "/v0/management/auth-files", "", Upload("b1", "{\"type\":\"codex\"}"), "multipart/form-data; boundary=b1");
        Assert.Equal(first, again);
        Assert.NotEqual(first, different);
    }

    private static async Task<string> Fingerprint(string method, string path, string query, string body, string contentType = "application/json") =>
        await IdempotencyRequest.FingerprintAsync(Request(method, path, query, body, contentType).Request, default);

    private static DefaultHttpContext Request(string method, string path, string query, string body, string contentType = "application/json", string key = "")
    {
        var http = new DefaultHttpContext();
        http.Request.Method = method;
        http.Request.Path = path;
        http.Request.QueryString = new QueryString(query);
        http.Request.ContentType = contentType;
        var bytes = Encoding.UTF8.GetBytes(body);
        http.Request.Body = new MemoryStream(bytes);
        http.Request.ContentLength = bytes.Length;
        if (key.Length > 0) http.Request.Headers.Authorization = "Bearer " + key;
        return http;
    }
}
