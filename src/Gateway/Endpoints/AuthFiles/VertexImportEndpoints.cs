using System.Text.Json.Nodes;
using CliProxy.Abstractions.AuthFiles;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Errors;
using CliProxy.Gateway.Hosting;
using CliProxy.Gateway.Http;
using Microsoft.AspNetCore.Http.Features;

namespace CliProxy.Gateway.Endpoints.AuthFiles;

/// <summary>
/// <c>POST /vertex/import</c>: multipart with a <c>file</c> part (a Google
/// service-account key) and optional <c>location</c> (form field, else query, else
/// <c>us-central1</c>). A second key for the same project from a different service account is
/// refused (<see cref="Refusals.CredentialExists"/>) instead of silently replacing the first (as the reference did).
/// </summary>
public static class VertexImportEndpoints
{
    /// <summary>Adds the route to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapVertexImport(this RouteGroupBuilder group)
    {
        group.MapPost("/vertex/import", Import).WithSummary("Import a Google service-account key as a Vertex credential").WithTags("Auth files");
        return group;
    }

    private static async Task<IResult> Import(HttpContext http, IGrainFactory grains, GatewayHost host)
    {
        if (!AuthFileUploadEndpoints.IsMultipart(http.Request)) return JsonResponses.Refuse(Refusals.FileRequired);
        IFormCollection form;
        try
        {
            form = await new FormFeature(http.Request, new FormOptions { MultipartBodyLengthLimit = AuthFileLimits.MaxBytes }).ReadFormAsync(http.RequestAborted);
        }
        catch (InvalidDataException e)
        {
            return JsonResponses.Refuse(Refusals.ReadFileFailed(e.Message));
        }
        var file = form.Files.GetFile("file");
        if (file is null) return JsonResponses.Refuse(Refusals.FileRequired);
        string text;
        using (var reader = new StreamReader(file.OpenReadStream())) text = await reader.ReadToEndAsync(http.RequestAborted);
        var location = form["location"].ToString();
        if (location.Trim().Length == 0) location = http.Request.Query["location"].ToString();
        var (credential, refusal) = VertexImport.Build(text, location);
        if (refusal is not null) return JsonResponses.Refuse(refusal);
        var grain = grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(credential!.FileName));
        if (await grain.Get() is { } existing && existing.Summary.Email != credential.Email)
            return JsonResponses.Refuse(Refusals.CredentialExists(credential.FileName, existing.Summary.Email));
        // The reference answers any failure to store the import as save_failed.
        if ((await grain.Replace(credential.Json)).Refusal is { } failed) return JsonResponses.Refuse(Refusals.ImportSaveFailed(failed.Error));
        return JsonResponses.Json(new JsonObject
        {
            ["status"] = "ok",
            ["auth-file"] = Path.Combine(host.AuthDirectory, credential.FileName),
            ["project_id"] = credential.ProjectId,
            ["email"] = credential.Email,
            ["location"] = credential.Location,
        });
    }
}
