using System.Text.Json.Nodes;
using System.Text.Json;
using CliProxy.Abstractions.AuthFiles;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Errors;
using CliProxy.Domain.Go;
using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Endpoints.AuthFiles;

/// <summary>
/// <c>DELETE /auth-files</c>, <c>PATCH /auth-files/status</c> and <c>PATCH /auth-files/fields</c>.
/// Corrections of the reference: deletion requires a valid <c>.json</c> name (any file of the folder
/// could be deleted), and delete-all carries on past a failure and reports it (it stopped halfway);
/// field edits are persisted and a <c>prefix</c> containing <c>/</c> is refused.
/// </summary>
public static class AuthFileChangeEndpoints
{
    /// <summary>Limit of these routes' JSON bodies.</summary>
    public const long BodyLimit = 1024 * 1024;

    /// <summary>Adds the routes to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapAuthFileChanges(this RouteGroupBuilder group)
    {
        group.MapDelete("/auth-files", Delete).WithSummary("Delete credentials (?name=, several names, or ?all=true)").WithTags("Auth files");
        group.MapPatch("/auth-files/status", SetStatus).WithSummary("Enable or disable a credential").WithTags("Auth files");
        group.MapPatch("/auth-files/fields", PatchFields).WithSummary("Edit prefix, proxy_url, priority, note").WithTags("Auth files");
        return group;
    }

    private static async Task<IResult> Delete(HttpContext http, IGrainFactory grains)
    {
        var all = http.Request.Query["all"].ToString();
        List<string> names;
        if (all is "true" or "1" or "*")
        {
            names = (await grains.GetGrain<IAuthFileIndexGrain>(AuthFileKeys.Index).List()).Select(s => s.Name).ToList();
            var (deleted, failed) = await DeleteEach(grains, names);
            if (failed.Count == 0) return JsonResponses.Json(new JsonObject { ["status"] = "ok", ["deleted"] = deleted.Count });
            return JsonResponses.Json(new JsonObject { ["status"] = "partial", ["deleted"] = deleted.Count, ["failed"] = failed }, StatusCodes.Status207MultiStatus);
        }
        names = http.Request.Query["name"].Where(n => n is not null).Select(n => n!).ToList();
        if (names.Count == 0 && http.Request.ContentLength is > 0)
        {
            var body = await BodyReader.ReadAsync(http.Request, BodyLimit, http.RequestAborted);
            names = NamesFromBody(body) ?? [];
        }
        names = names.Select(n => n.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (names.Count == 0) return JsonResponses.Refuse(Refusals.InvalidName);
        if (names.Count == 1)
        {
            if (AuthFileName.Validate(names[0], out var name) is { } invalid) return JsonResponses.Refuse(invalid);
            var result = await grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(name)).Delete();
            return result.Refusal is { } refusal ? JsonResponses.Refuse(refusal) : JsonResponses.StatusOk;
        }
        var (ok, failures) = await DeleteEach(grains, names);
        var answer = new JsonObject { ["status"] = failures.Count == 0 ? "ok" : "partial", ["deleted"] = ok.Count, ["files"] = ok };
        if (failures.Count == 0) return JsonResponses.Json(answer);
        answer["failed"] = failures;
        return JsonResponses.Json(answer, StatusCodes.Status207MultiStatus);
    }

    private static async Task<(JsonArray Deleted, JsonArray Failed)> DeleteEach(IGrainFactory grains, IEnumerable<string> names)
    {
        var deleted = new JsonArray();
        var failed = new JsonArray();
        foreach (var raw in names)
        {
            var refusal = AuthFileName.Validate(raw, out var name);
            if (refusal is null) refusal = (await grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(name)).Delete()).Refusal;
            if (refusal is null) deleted.Add(name);
            else failed.Add(new JsonObject { ["name"] = name, ["error"] = refusal.Error });
        }
        return (deleted, failed);
    }

    /// <summary>Names from <c>{"name": …, "names": [...]}</c> or a JSON array of names.</summary>
    private static List<string>? NamesFromBody(string body)
    {
        if (!GoJson.TryParseRaw(body, out var json)) return null;
        var names = new List<string>();
        if (json.ValueKind == JsonValueKind.Array) names.AddRange(json.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
        if (GoJson.Read<string>(json, "name") is { IsPresent: true } one) names.Add(one.Value);
        if (GoJson.TryGet(json, "names", out var many) && many.ValueKind == JsonValueKind.Array)
            names.AddRange(many.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
        return names;
    }

    private static async Task<IResult> SetStatus(HttpContext http, IGrainFactory grains)
    {
        var body = await BodyReader.ReadAsync(http.Request, BodyLimit, http.RequestAborted);
        if (!GoJson.TryParseBound(body, out var json) || json.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)) return JsonResponses.Refuse(Refusals.InvalidRequestBody);
        var name = GoJson.Read<string>(json, "name");
        var disabled = GoJson.Read<bool>(json, "disabled");
        if (name.State == OptionalState.Invalid || disabled.State == OptionalState.Invalid) return JsonResponses.Refuse(Refusals.InvalidRequestBody);
        if (!name.IsPresent || name.Value.Trim().Length == 0) return JsonResponses.Refuse(Refusals.NameRequired);
        if (!disabled.IsPresent) return JsonResponses.Refuse(Refusals.DisabledRequired);
        if (AuthFileName.Validate(name.Value, out var file) is not null) return JsonResponses.Refuse(Refusals.AuthFileNotFound);
        var result = await grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(file)).SetDisabled(disabled.Value);
        return result.Refusal is { } refusal
            ? JsonResponses.Refuse(refusal)
            : JsonResponses.Json(new JsonObject { ["status"] = "ok", ["disabled"] = disabled.Value });
    }

    private static async Task<IResult> PatchFields(HttpContext http, IGrainFactory grains)
    {
        var body = await BodyReader.ReadAsync(http.Request, BodyLimit, http.RequestAborted);
        if (!GoJson.TryParseBound(body, out var json) || json.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null)) return JsonResponses.Refuse(Refusals.InvalidRequestBody);
        var name = GoJson.Read<string>(json, "name");
        var prefix = GoJson.Read<string>(json, "prefix");
        var proxy = GoJson.Read<string>(json, "proxy_url");
        var priority = GoJson.Read<long>(json, "priority");
        var note = GoJson.Read<string>(json, "note");
        if (new[] { name.State, prefix.State, proxy.State, priority.State, note.State }.Contains(OptionalState.Invalid)) return JsonResponses.Refuse(Refusals.InvalidRequestBody);
        if (!name.IsPresent || name.Value.Trim().Length == 0) return JsonResponses.Refuse(Refusals.NameRequired);
        if (AuthFileName.Validate(name.Value, out var file) is not null) return JsonResponses.Refuse(Refusals.AuthFileNotFound);
        if (!prefix.IsPresent && !proxy.IsPresent && !priority.IsPresent && !note.IsPresent)
        {
            var exists = await grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(file)).Get() is not null;
            return JsonResponses.Refuse(exists ? Refusals.NoFieldsToUpdate : Refusals.AuthFileNotFound);
        }
        var patch = new AuthFieldsPatch(prefix.IsPresent ? prefix.Value : null, proxy.IsPresent ? proxy.Value : null,
            priority.IsPresent ? priority.Value : null, note.IsPresent ? note.Value : null);
        var result = await grains.GetGrain<IAuthFileGrain>(AuthFileKeys.For(file)).PatchFields(patch);
        return result.Refusal is { } refusal ? JsonResponses.Refuse(refusal) : JsonResponses.StatusOk;
    }
}
