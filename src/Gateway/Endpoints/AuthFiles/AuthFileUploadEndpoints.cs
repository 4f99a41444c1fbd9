using System.Text.Json.Nodes;
using CliProxy.Abstractions.AuthFiles;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Errors;
using CliProxy.Gateway.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CliProxy.Gateway.Endpoints.AuthFiles;

/// <summary>
/// <c>POST /auth-files</c> (with the reference's later batch form): a multipart request with one or
/// several file parts (any field name, taken in field-name order), or a raw JSON body with
/// <c>?name=</c>. Every file is validated (name, size, JSON object) before anything is written,
/// so a rejected upload never touches a stored credential; each file is then stored byte-for-byte
/// by its grain.
/// </summary>
public static class AuthFileUploadEndpoints
{
    /// <summary>Limit of a whole multipart upload.</summary>
    public const long MultipartLimit = 64L * 1024 * 1024;

    /// <summary>Adds the route to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapAuthFileUploads(this RouteGroupBuilder group)
    {
        group.MapPost("/auth-files", Upload).WithSummary("Upload credential files (multipart, or raw JSON with ?name=)").WithTags("Auth files");
        return group;
    }

    private static async Task<IResult> Upload(HttpContext http, IGrainFactory grains)
    {
        if (!IsMultipart(http.Request)) return await UploadRaw(http, grains);
        if (http.Request.ContentLength > MultipartLimit) throw new BodyTooLargeException(MultipartLimit);
        IFormCollection form;
        try
        {
            form = await new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = MultipartLimit }).ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException e)
        {
            return JsonResponses.Refuse(Refusals.InvalidMultipart(e.Message));
        }
        var parts = form.Files.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
        if (parts.Count == 0) return JsonResponses.Refuse(Refusals.NoFilesUploaded);
        var candidates = new List<(string Name, string? Json, Refusal? Refusal)>();
        foreach (var part in parts)
        {
            var name = Path.GetFileName(part.FileName ?? "").Trim();
            var refusal = AuthFileName.Validate(name, out name);
            if (refusal == Refusals.NameMustEndWithJson) refusal = Refusals.FileMustBeJson;
            if (refusal is null && part.Length > AuthFileLimits.MaxBytes) refusal = Refusals.UploadedFileTooLarge(AuthFileLimits.MaxBytes);
            if (refusal is not null) { candidates.Add((name, null, refusal)); continue; }
            using var reader = new StreamReader(part.OpenReadStream());
            var json = await reader.ReadToEndAsync(http.RequestAborted);
            candidates.Add(JsonText.ObjectError(json) is { } invalid ? (name, null, Refusals.InvalidAuthFile(invalid)) : (name, json, null));
        }
        return await Store(grains, candidates);
    }

    /// <summary>True for <c>multipart/form-data</c> (any other content type is a raw upload, as in the reference).</summary>
    public static bool IsMultipart(HttpRequest request) =>
        request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) == true;

    private static async Task<IResult> UploadRaw(HttpContext http, IGrainFactory grains)
    {
        if (AuthFileName.Validate(http.Request.Query["name"], out var name) is { } invalid) return JsonResponses.Refuse(invalid);
        var body = await BodyReader.ReadAsync(http.Request, AuthFileLimits.MaxBytes, http.RequestAborted);
        var result = await grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(name)).Replace(body);
        return result.Refusal is { } refusal ? JsonResponses.Refuse(refusal) : JsonResponses.StatusOk;
    }

    private static async Task<IResult> Store(IGrainFactory grains, List<(string Name, string? Json, Refusal? Refusal)> candidates)
    {
        var stored = new JsonArray();
        var failed = new JsonArray();
        Refusal? last = null;
        foreach (var (name, json, invalid) in candidates)
        {
            var refusal = json is null ? invalid : (await grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(name)).Replace(json)).Refusal;
            if (refusal is null) stored.Add(name);
            else
            {
                failed.Add(new JsonObject { ["name"] = name, ["error"] = refusal.Error });
                last = refusal;
            }
        }
        if (candidates.Count == 1)
            return last is { } only ? JsonResponses.Refuse(only) : JsonResponses.StatusOk;
        var body = new JsonObject { ["status"] = failed.Count == 0 ? "ok" : stored.Count == 0 ? "error" : "partial", ["uploaded"] = stored.Count, ["files"] = stored };
        if (failed.Count == 0) return JsonResponses.Json(body);
        body["failed"] = failed;
        return JsonResponses.Json(body, stored.Count == 0 ? RefusalStatus.Of(RefusalKind.Invalid) : StatusCodes.Status207MultiStatus);
    }
}
