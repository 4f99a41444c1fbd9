using System.Text.Json.Nodes;
using CliProxy.Abstractions.OAuth;
using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Endpoints.OAuth;

/// <summary>The one place where session refusals and statuses become HTTP answers (the reference's bodies: <c>{"status":"error","error":…}</c>).</summary>
public static class OAuthAnswers
{
    /// <summary>Message of an unknown, expired or cancelled state.</summary>
    public const string UnknownState = "unknown or expired state";

    /// <summary>HTTP status and message of a callback refusal.</summary>
    public static (int Status, string Message) Of(OAuthRefusal refusal) => refusal switch
    {
        OAuthRefusal.UnknownState => (StatusCodes.Status404NotFound, UnknownState),
        OAuthRefusal.NotPending => (StatusCodes.Status409Conflict, "oauth flow is not pending"),
        OAuthRefusal.AlreadyCompleted => (StatusCodes.Status409Conflict, "oauth flow is already completed"),
        OAuthRefusal.ProviderMismatch => (StatusCodes.Status400BadRequest, "provider does not match state"),
        OAuthRefusal.UnsupportedProvider => (StatusCodes.Status400BadRequest, "unsupported provider"),
        OAuthRefusal.StorageFailed => (StatusCodes.Status500InternalServerError, "failed to persist oauth callback"),
        _ => (StatusCodes.Status500InternalServerError, "oauth session error"),
    };

    /// <summary><c>{"status":"error","error":message}</c>.</summary>
    public static IResult Error(int status, string message) =>
        JsonResponses.Json(new JsonObject { ["status"] = "error", ["error"] = message }, status);

    /// <summary>The answer of a refused callback.</summary>
    public static IResult Refused(OAuthRefusal refusal)
    {
        var (status, message) = Of(refusal);
        return Error(status, message);
    }

    /// <summary>
    /// <c>GET /get-auth-status</c>'s answer: <c>wait</c> while pending, <c>ok</c> once the credential was
    /// saved, otherwise <c>error</c> with the message — also for an unknown or expired state, which the
    /// reference reported as <c>ok</c>.
    /// </summary>
    public static IResult Status(OAuthSessionStatus status) => status.Phase switch
    {
        OAuthPhase.Pending => JsonResponses.Json(new JsonObject { ["status"] = "wait" }),
        OAuthPhase.Completed => JsonResponses.Json(new JsonObject { ["status"] = "ok" }),
        OAuthPhase.Error => Error(StatusCodes.Status200OK, status.Message),
        _ => Error(StatusCodes.Status200OK, UnknownState),
    };
}
