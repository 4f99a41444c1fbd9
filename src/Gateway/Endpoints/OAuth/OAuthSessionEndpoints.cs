using System.Text.Json.Nodes;
using CliProxy.Abstractions.OAuth;
using CliProxy.Domain.Errors;
using CliProxy.Domain.OAuth;
using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Endpoints.OAuth;

/// <summary>
/// <c>GET /get-auth-status</c> (poll a login), <c>DELETE /oauth-session</c> (cancel a pending one) and
/// <c>POST /oauth-callback</c> (submit a redirect by hand), each one call to the session grain of the state.
/// </summary>
public static class OAuthSessionEndpoints
{
    /// <summary>Limit of <c>POST /oauth-callback</c>'s body.</summary>
    public const long BodyLimit = 64 * 1024;

    /// <summary>Adds the routes to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapOAuthSessions(this RouteGroupBuilder group)
    {
        group.MapGet("/get-auth-status", GetStatus).WithSummary("Status of a login: wait, ok or error").WithTags("Logins");
        group.MapDelete("/oauth-session", Cancel).WithSummary("Cancel a pending login").WithTags("Logins");
        group.MapPost("/oauth-callback", SubmitCallback).WithSummary("Submit a provider's redirect (URL or code/state/error)").WithTags("Logins");
        return group;
    }

    private static async Task<IResult> GetStatus(HttpContext http, IGrainFactory grains)
    {
        var raw = http.Request.Query["state"].ToString();
        if (raw.Trim().Length == 0) return OAuthAnswers.Error(Refusal.Invalid("state is required"));
        if (!OAuthState.IsValid(raw, out var state)) return OAuthAnswers.Error(Refusal.Invalid("invalid state"));
        var status = await grains.GetGrain<IOAuthSessionGrain>(OAuthSessionKeys.For(state)).GetStatus();
        return OAuthAnswers.Status(status);
    }

    private static async Task<IResult> Cancel(HttpContext http, IGrainFactory grains)
    {
        var raw = http.Request.Query["state"].ToString();
        if (raw.Trim().Length == 0) return OAuthAnswers.Error(Refusal.Invalid("missing state"));
        if (!OAuthState.IsValid(raw, out var state)) return OAuthAnswers.Error(Refusal.Invalid("invalid state"));
        var cancelled = await grains.GetGrain<IOAuthSessionGrain>(OAuthSessionKeys.For(state)).Cancel();
        return JsonResponses.Json(new JsonObject { ["status"] = "ok", ["cancelled"] = cancelled });
    }

    private static async Task<IResult> SubmitCallback(HttpContext http, IGrainFactory grains)
    {
        var body = await BodyReader.ReadAsync(http.Request, BodyLimit, http.RequestAborted);
        if (CallbackSubmission.FromJson(body, out var error) is not { } submission) return OAuthAnswers.Error(Refusal.Invalid(error!));
        if (submission.Check() is { } invalid) return OAuthAnswers.Error(Refusal.Invalid(invalid));
        var refusal = await grains.GetGrain<IOAuthSessionGrain>(OAuthSessionKeys.For(submission.State))
            .SubmitCallback(new OAuthCallback(submission.Provider, submission.Code, submission.Error));
        return refusal == OAuthRefusal.None ? JsonResponses.StatusOk : OAuthAnswers.Refused(refusal);
    }
}
