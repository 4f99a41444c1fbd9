using CliProxy.Domain.Errors;

namespace CliProxy.Gateway.Http;

/// <summary>
/// The one place where a refusal becomes an HTTP status: every refusal of a grain, a config resource
/// or a route is a <see cref="Refusal"/> value, answered by <see cref="JsonResponses.Refuse"/> with the
/// status of its kind (the statuses of spec <c>management-config.md</c> and <c>management-auth.md</c>).
/// </summary>
public static class RefusalStatus
{
    /// <summary>The HTTP status that answers a refusal of <paramref name="kind"/>.</summary>
    public static int Of(RefusalKind kind) => kind switch
    {
        RefusalKind.Invalid => StatusCodes.Status400BadRequest,
        RefusalKind.NotFound => StatusCodes.Status404NotFound,
        RefusalKind.Conflict => StatusCodes.Status409Conflict,
        RefusalKind.PreconditionFailed => StatusCodes.Status412PreconditionFailed,
        RefusalKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
        RefusalKind.Unprocessable => StatusCodes.Status422UnprocessableEntity,
        RefusalKind.WriteFailed => StatusCodes.Status500InternalServerError,
        RefusalKind.Unavailable => StatusCodes.Status503ServiceUnavailable,
        RefusalKind.UpstreamFailed => StatusCodes.Status502BadGateway,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "a refusal kind without an HTTP status"),
    };
}
