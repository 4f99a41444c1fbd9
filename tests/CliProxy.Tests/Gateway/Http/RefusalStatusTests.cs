using System.Reflection;
using System.Text.Json;
using CliProxy.Domain.Errors;
using CliProxy.Gateway.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Http;

/// <summary>
/// The one mapping of refusal kinds to HTTP statuses (<see cref="RefusalStatus"/>), and every refusal of
/// the catalogue (<see cref="Refusals"/>) answered as the routes answered it before refusals were values:
/// the same status and the same body.
/// </summary>
[Unit]
public sealed class RefusalStatusTests
{
    public static TheoryData<RefusalKind, int> Statuses() => new()
    {
        { RefusalKind.Invalid, 400 },
        { RefusalKind.NotFound, 404 },
        { RefusalKind.Conflict, 409 },
        { RefusalKind.PreconditionFailed, 412 },
        { RefusalKind.TooLarge, 413 },
        { RefusalKind.Unprocessable, 422 },
        { RefusalKind.WriteFailed, 500 },
        { RefusalKind.Unavailable, 503 },
        { RefusalKind.UpstreamFailed, 502 },
    };

    [Theory]
    [MemberData(nameof(Statuses))]
    public void Each_kind_has_one_status(RefusalKind kind, int status) => Assert.Equal(status, RefusalStatus.Of(kind));

    [Fact]
    public void Every_kind_is_mapped() =>
        Assert.Equal(Enum.GetValues<RefusalKind>().Order(), Statuses().Select(row => (RefusalKind)row[0]).Order());

    /// <summary>Each refusal of the catalogue with the status and body the routes answered before.</summary>
    public static TheoryData<string, Refusal, int, string> Answers() => new()
    {
        { nameof(Refusals.InvalidBody), Refusals.InvalidBody, 400, """{"error":"invalid body"}""" },
        { nameof(Refusals.CooldownCredentialRequired), Refusals.CooldownCredentialRequired, 400, """{"error":"cooldown report: credential id is required"}""" },
        { nameof(Refusals.CooldownModelRequired), Refusals.CooldownModelRequired, 400, """{"error":"cooldown report: model is required"}""" },
        { nameof(Refusals.InvalidRequestBody), Refusals.InvalidRequestBody, 400, """{"error":"invalid request body"}""" },
        { nameof(Refusals.NameRequired), Refusals.NameRequired, 400, """{"error":"name is required"}""" },
        { nameof(Refusals.BodyTooLarge), Refusals.BodyTooLarge(1048576), 413, """{"error":"request body too large (limit 1048576 bytes)"}""" },
        { nameof(Refusals.ServiceUnavailable), Refusals.ServiceUnavailable, 503, """{"error":"service unavailable"}""" },
        { nameof(Refusals.StorageUnavailable), Refusals.StorageUnavailable, 503, """{"error":"storage unavailable"}""" },
        { nameof(Refusals.InvalidIdempotencyKey), Refusals.InvalidIdempotencyKey, 400, """{"error":"invalid Idempotency-Key: one value of 1 to 255 printable ASCII characters"}""" },
        { nameof(Refusals.IdempotencyInProgress), Refusals.IdempotencyInProgress, 409, """{"error":"request with this Idempotency-Key is still in progress"}""" },
        { nameof(Refusals.IdempotencyKeyReused), Refusals.IdempotencyKeyReused, 422, """{"error":"Idempotency-Key was already used for a different request"}""" },
        { nameof(Refusals.IdempotencyKeyReusedForDocument), Refusals.IdempotencyKeyReusedForDocument, 422, """{"error":"idempotency_key_reused","message":"Idempotency-Key was already used for a different request"}""" },
        // Unreachable over HTTP (the router answers unknown routes and methods first); before, the grain said "404 page not found".
        { nameof(Refusals.UnknownConfigEdit), Refusals.UnknownConfigEdit, 404, """{"error":"no config resource takes this method on this route"}""" },
        { nameof(Refusals.MissingFields), Refusals.MissingFields, 400, """{"error":"missing fields"}""" },
        { nameof(Refusals.MissingIndexOrValue), Refusals.MissingIndexOrValue, 400, """{"error":"missing index or value"}""" },
        { nameof(Refusals.ItemNotFound), Refusals.ItemNotFound, 404, """{"error":"item not found"}""" },
        { nameof(Refusals.MissingValue), Refusals.MissingValue, 400, """{"error":"missing value"}""" },
        { nameof(Refusals.EmptyValue), Refusals.EmptyValue, 400, """{"error":"empty value"}""" },
        { nameof(Refusals.InvalidMapKey), Refusals.InvalidMapKey("provider"), 400, """{"error":"invalid provider"}""" },
        { nameof(Refusals.MissingMapKey), Refusals.MissingMapKey("channel"), 400, """{"error":"missing channel"}""" },
        { nameof(Refusals.MapKeyNotFound), Refusals.MapKeyNotFound("provider"), 404, """{"error":"provider not found"}""" },
        { nameof(Refusals.SaveFailed), Refusals.SaveFailed("disk full"), 500, """{"error":"failed to save config: disk full"}""" },
        { nameof(Refusals.ConfigFileNotFound), Refusals.ConfigFileNotFound, 404, """{"error":"not_found","message":"config file not found"}""" },
        { nameof(Refusals.DocumentChanged), Refusals.DocumentChanged("\"v1\""), 412, """{"error":"precondition_failed","message":"the document changed since it was read (ETag \u0022v1\u0022)"}""" },
        { nameof(Refusals.UnreadableDocument), Refusals.UnreadableDocument, 400, """{"error":"invalid_yaml","message":"cannot read request body"}""" },
        { nameof(Refusals.EmptyDocument), Refusals.EmptyDocument, 400, """{"error":"invalid_yaml","message":"config document is empty"}""" },
        { nameof(Refusals.InvalidYaml), Refusals.InvalidYaml("bad indent"), 400, """{"error":"invalid_yaml","message":"bad indent"}""" },
        { nameof(Refusals.InvalidConfig), Refusals.InvalidConfig("port: out of range"), 422, """{"error":"invalid_config","message":"port: out of range"}""" },
        { nameof(Refusals.DocumentWriteFailed), Refusals.DocumentWriteFailed, 500, """{"error":"write_failed","message":"failed to write config"}""" },
        { nameof(Refusals.DocumentFailed), Refusals.DocumentFailed("boom"), 500, """{"error":"write_failed","message":"boom"}""" },
        { nameof(Refusals.AuthFileNotFound), Refusals.AuthFileNotFound, 404, """{"error":"auth file not found"}""" },
        { nameof(Refusals.FileNotFound), Refusals.FileNotFound, 404, """{"error":"file not found"}""" },
        { nameof(Refusals.InvalidName), Refusals.InvalidName, 400, """{"error":"invalid name"}""" },
        { nameof(Refusals.NameMustEndWithJson), Refusals.NameMustEndWithJson, 400, """{"error":"name must end with .json"}""" },
        { nameof(Refusals.FileMustBeJson), Refusals.FileMustBeJson, 400, """{"error":"file must be .json"}""" },
        { nameof(Refusals.AuthFileTooLarge), Refusals.AuthFileTooLarge(1048576), 413, """{"error":"auth file too large (limit 1048576 bytes)"}""" },
        { nameof(Refusals.UploadedFileTooLarge), Refusals.UploadedFileTooLarge(1048576), 413, """{"error":"file too large (limit 1048576 bytes)"}""" },
        { nameof(Refusals.InvalidAuthFile), Refusals.InvalidAuthFile("not an object"), 400, """{"error":"invalid auth file: not an object"}""" },
        { nameof(Refusals.InvalidPrefix), Refusals.InvalidPrefix, 400, """{"error":"invalid prefix: must be a single segment without \u0027/\u0027"}""" },
        { nameof(Refusals.DisabledRequired), Refusals.DisabledRequired, 400, """{"error":"disabled is required"}""" },
        { nameof(Refusals.NoFieldsToUpdate), Refusals.NoFieldsToUpdate, 400, """{"error":"no fields to update"}""" },
        { nameof(Refusals.InvalidMultipart), Refusals.InvalidMultipart("no boundary"), 400, """{"error":"invalid multipart form: no boundary"}""" },
        { nameof(Refusals.NoFilesUploaded), Refusals.NoFilesUploaded, 400, """{"error":"no files uploaded"}""" },
        { nameof(Refusals.RemoveFailed), Refusals.RemoveFailed("busy"), 500, """{"error":"failed to remove file: busy"}""" },
        { nameof(Refusals.WriteFailed), Refusals.WriteFailed("busy"), 500, """{"error":"failed to write file: busy"}""" },
        { nameof(Refusals.ChannelRequired), Refusals.ChannelRequired, 400, """{"error":"channel is required"}""" },
        { nameof(Refusals.FileRequired), Refusals.FileRequired, 400, """{"error":"file required"}""" },
        { nameof(Refusals.ReadFileFailed), Refusals.ReadFileFailed("truncated"), 400, """{"error":"failed to read file: truncated"}""" },
        { nameof(Refusals.InvalidJson), Refusals.InvalidJson("not a JSON object"), 400, """{"error":"invalid json","message":"not a JSON object"}""" },
        { nameof(Refusals.InvalidServiceAccount), Refusals.InvalidServiceAccount("service account missing private_key"), 400, """{"error":"invalid service account","message":"service account missing private_key"}""" },
        { nameof(Refusals.ProjectIdMissing), Refusals.ProjectIdMissing, 400, """{"error":"project_id missing"}""" },
        { nameof(Refusals.CredentialExists), Refusals.CredentialExists("vertex-p.json", "a@p.iam"), 409, """{"error":"auth file exists","message":"vertex-p.json holds service account a@p.iam; delete it first"}""" },
        { nameof(Refusals.ImportSaveFailed), Refusals.ImportSaveFailed("storage unavailable"), 500, """{"error":"save_failed","message":"storage unavailable"}""" },
    };

    [Theory]
    [MemberData(nameof(Answers))]
    public async Task Each_refusal_is_answered_with_the_status_and_body_it_had(string _, Refusal refusal, int status, string body)
    {
        var endpoint = await Run(http => JsonResponses.Refuse(refusal).ExecuteAsync(http));
        var middleware = await Run(http => JsonResponses.WriteRefusalAsync(http, refusal));
        foreach (var (actualStatus, contentType, actualBody) in new[] { endpoint, middleware })
            Assert.Equal((status, JsonResponses.ContentType, body), (actualStatus, contentType, actualBody));
    }

    [Fact]
    public void The_table_covers_the_whole_catalogue()
    {
        var members = typeof(Refusals).GetMembers(BindingFlags.Public | BindingFlags.Static)
            .Where(m => m is PropertyInfo || (m is MethodInfo { IsSpecialName: false } method && method.ReturnType == typeof(Refusal)))
            .Select(m => m.Name);
        Assert.Equal(members.Order(), Answers().Select(row => (string)row[0]).Order());
    }

    [Fact]
    public async Task The_middleware_answers_what_it_wrote_before_refusals_were_values()
    {
        var (_, _, body) = await Run(http => JsonResponses.WriteRefusalAsync(http, Refusals.BodyTooLarge(64)));
        Assert.Equal(JsonSerializer.Serialize(new { error = "request body too large (limit 64 bytes)" }), body);
    }

    private static async Task<(int Status, string? ContentType, string Body)> Run(Func<HttpContext, Task> answer)
    {
        var http = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider() };
        http.Response.Body = new MemoryStream();
        await answer(http);
        http.Response.Body.Position = 0;
        return (http.Response.StatusCode, http.Response.ContentType, await new StreamReader(http.Response.Body).ReadToEndAsync());
    }
}
