using System.Text.Json.Nodes;
using CliProxy.Abstractions.OAuth;
using CliProxy.Domain.Errors;
using CliProxy.Domain.OAuth;
using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Endpoints.OAuth;

/// <summary>
/// The one place where session refusals and statuses become HTTP answers (the reference's bodies:
/// <c>{"status":"error","error":…}</c>); each refusal has a <see cref="RefusalKind"/>, whose status
/// comes from <see cref="RefusalStatus"/> like every other refusal's.
/// </summary>
public static class OAuthAnswers
{
    /// <summary>Message of an unknown, expired or cancelled state.</summary>
    public const string UnknownState = "unknown or expired state";

    /// <summary>The kind and words of a callback refusal.</summary>
    public static Refusal Of(OAuthRefusal refusal) => refusal switch
    {
        OAuthRefusal.UnknownState => Refusal.NotFound(UnknownState),
        OAuthRefusal.NotPending => new(RefusalKind.Conflict, "oauth flow is not pending"),
        OAuthRefusal.AlreadyCompleted => new(RefusalKind.Conflict, "oauth flow is already completed"),
        OAuthRefusal.ProviderMismatch => Refusal.Invalid("provider does not match state"),
        OAuthRefusal.UnsupportedProvider => Refusal.Invalid("unsupported provider"),
        OAuthRefusal.StorageFailed => new(RefusalKind.WriteFailed, "failed to persist oauth callback"),
        _ => new(RefusalKind.WriteFailed, "oauth session error"),
    };

    /// <summary><c>{"status":"error","error":…}</c> with the status of the refusal's kind.</summary>
    public static IResult Error(Refusal refusal) => Error(RefusalStatus.Of(refusal.Kind), refusal.Error);

    /// <summary>The cookie login's refusal: <c>{"status":"error","error":…}</c>, plus <c>existing_file</c> on a duplicate.</summary>
    public static IResult CookieRefused(Refusal refusal, string? existingFile)
    {
        var body = new JsonObject { ["status"] = "error", ["error"] = refusal.Error };
        if (existingFile is not null) body["existing_file"] = existingFile;
        return JsonResponses.Json(body, RefusalStatus.Of(refusal.Kind));
    }

    /// <summary>
    /// The kind and words of a refused start: storage out of reach is <see cref="RefusalKind.Unavailable"/>,
    /// any other failed start step (<c>failed to generate …</c>) <see cref="RefusalKind.WriteFailed"/> (500, as the reference).
    /// </summary>
    public static Refusal OfStart(OAuthStartResult started) =>
        new(started.Refusal == OAuthRefusal.StorageFailed && started.Error == Refusals.StorageUnavailable.Error ? RefusalKind.Unavailable : RefusalKind.WriteFailed,
            started.Error ?? "oauth session error");

    /// <summary>A refused start's answer: <c>{"error":…}</c>, with <c>"status":"error"</c> for iFlow only (spec §5.9).</summary>
    public static IResult StartRefused(OAuthStartResult started, string provider)
    {
        var refusal = OfStart(started);
        var body = new JsonObject { ["error"] = refusal.Error };
        if (provider == OAuthProviders.IFlow) body["status"] = "error";
        return JsonResponses.Json(body, RefusalStatus.Of(refusal.Kind));
    }

    /// <summary>The answer of a refused callback.</summary>
    public static IResult Refused(OAuthRefusal refusal) => Error(Of(refusal));

    private static IResult Error(int status, string message) =>
        JsonResponses.Json(new JsonObject { ["status"] = "error", ["error"] = message }, status);

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
