namespace CliProxy.Domain.Errors;

/// <summary>
/// Why a request was refused, independent of how the refusal is answered: the gateway turns each kind
/// into one HTTP status (its <c>RefusalStatus</c>), other callers (import, export, background work) act
/// on the kind itself.
/// </summary>
public enum RefusalKind
{
    /// <summary>The request is malformed or breaks a rule of the value it edits; nothing changed.</summary>
    Invalid,

    /// <summary>What the request names does not exist (a credential, a list entry, a map key, a stored file).</summary>
    NotFound,

    /// <summary>The request clashes with the current state (another credential holds the name; a request with
    /// the same <c>Idempotency-Key</c> is still running); nothing changed.</summary>
    Conflict,

    /// <summary>The caller's precondition no longer holds (a stale <c>If-Match</c>); nothing changed.</summary>
    PreconditionFailed,

    /// <summary>The request or one of its files exceeds a size limit; nothing changed.</summary>
    TooLarge,

    /// <summary>The request is well-formed but cannot be applied as it is (a document that breaks the config's
    /// rules; an <c>Idempotency-Key</c> used for another request); nothing changed.</summary>
    Unprocessable,

    /// <summary>The change was accepted but could not be stored; the stored state is as it was.</summary>
    WriteFailed,

    /// <summary>The storage or the cluster cannot be reached right now; a retry later may succeed.</summary>
    Unavailable,

    /// <summary>An upstream service the request needs (a provider's login platform) failed or answered no usable result; nothing changed.</summary>
    UpstreamFailed,
}
