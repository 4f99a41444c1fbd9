namespace CliProxy.Domain.Errors;

/// <summary>
/// A refused request as a value: its <see cref="RefusalKind"/> and the reference's words for it. The
/// words are the answer's body: <c>{"error": Error}</c>, or <c>{"error": Error, "message": Message}</c> on
/// the routes whose errors have that shape (<c>PUT /config.yaml</c>, <c>POST /vertex/import</c>). The
/// reference's fixed words are in <see cref="Refusals"/>.
/// </summary>
/// <param name="Kind">Why the request was refused.</param>
/// <param name="Error">The <c>error</c> text (a message, or a code such as <c>invalid_yaml</c> when <paramref name="Message"/> is set).</param>
/// <param name="Message">The <c>message</c> text, or null for the one-field shape.</param>
public sealed record Refusal(RefusalKind Kind, string Error, string? Message = null)
{
    /// <summary><see cref="RefusalKind.Invalid"/> with <paramref name="error"/>.</summary>
    public static Refusal Invalid(string error) => new(RefusalKind.Invalid, error);

    /// <summary><see cref="RefusalKind.NotFound"/> with <paramref name="error"/>.</summary>
    public static Refusal NotFound(string error) => new(RefusalKind.NotFound, error);

    /// <summary>The refusal as one line for logs and command-line errors: <c>Kind: error: message</c>.</summary>
    public override string ToString() => Message is null ? $"{Kind}: {Error}" : $"{Kind}: {Error}: {Message}";
}
