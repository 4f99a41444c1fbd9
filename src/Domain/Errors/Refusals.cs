namespace CliProxy.Domain.Errors;

/// <summary>
/// The reference's refusals, each written once with its kind and its exact words (spec
/// <c>management-config.md</c> and <c>management-auth.md</c>); every grain, resource and route refers to
/// these instead of repeating the text. Words that a rule composes from its own problem (a field check,
/// a provider list's normaliser, a service-account key) stay with that rule and are wrapped with
/// <see cref="Refusal.Invalid"/>. This part: refusals shared by every route.
/// </summary>
public static partial class Refusals
{
    /// <summary>The config routes' generic <c>invalid body</c>: the body is not the JSON the route takes.</summary>
    public static Refusal InvalidBody { get; } = Refusal.Invalid("invalid body");

    /// <summary><c>invalid request body</c> of the credential routes (<c>PATCH /auth-files/status</c>, <c>/fields</c>).</summary>
    public static Refusal InvalidRequestBody { get; } = Refusal.Invalid("invalid request body");

    /// <summary><c>name is required</c>.</summary>
    public static Refusal NameRequired { get; } = Refusal.Invalid("name is required");

    /// <summary>A body over the route's limit of <paramref name="limit"/> bytes.</summary>
    public static Refusal BodyTooLarge(long limit) => new(RefusalKind.TooLarge, $"request body too large (limit {limit} bytes)");

    /// <summary>The cluster cannot be reached (a grain call failed for a transient reason).</summary>
    public static Refusal ServiceUnavailable { get; } = new(RefusalKind.Unavailable, "service unavailable");

    /// <summary>The database that stores the state cannot be reached; nothing was changed.</summary>
    public static Refusal StorageUnavailable { get; } = new(RefusalKind.Unavailable, "storage unavailable");

    /// <summary>A malformed <c>Idempotency-Key</c> header.</summary>
    public static Refusal InvalidIdempotencyKey { get; } = Refusal.Invalid("invalid Idempotency-Key: one value of 1 to 255 printable ASCII characters");

    /// <summary>Another request with the same <c>Idempotency-Key</c> is still running.</summary>
    public static Refusal IdempotencyInProgress { get; } = new(RefusalKind.Conflict, "request with this Idempotency-Key is still in progress");

    /// <summary>The words of an <c>Idempotency-Key</c> sent again with a different request.</summary>
    public const string IdempotencyKeyReusedText = "Idempotency-Key was already used for a different request";

    /// <summary>An <c>Idempotency-Key</c> sent again with a different request (one-field shape).</summary>
    public static Refusal IdempotencyKeyReused { get; } = new(RefusalKind.Unprocessable, IdempotencyKeyReusedText);

    /// <summary>The same for <c>PUT /config.yaml</c>, in its <c>{"error","message"}</c> shape.</summary>
    public static Refusal IdempotencyKeyReusedForDocument { get; } = new(RefusalKind.Unprocessable, "idempotency_key_reused", IdempotencyKeyReusedText);
}
