namespace CliProxy.Domain.Errors;

/// <summary>This part: the config resources and the config document (spec <c>management-config.md</c>).</summary>
public static partial class Refusals
{
    /// <summary>An edit of a route or method the config has no resource for (the router answers such requests first).</summary>
    public static Refusal UnknownConfigEdit { get; } = Refusal.NotFound("no config resource takes this method on this route");

    /// <summary><c>PATCH /api-keys</c> without <c>old</c>/<c>new</c> or <c>index</c>/<c>value</c>.</summary>
    public static Refusal MissingFields { get; } = Refusal.Invalid("missing fields");

    /// <summary><c>DELETE /api-keys</c> without <c>index</c> or <c>value</c>.</summary>
    public static Refusal MissingIndexOrValue { get; } = Refusal.Invalid("missing index or value");

    /// <summary>A provider-list PATCH or DELETE that matches no entry.</summary>
    public static Refusal ItemNotFound { get; } = Refusal.NotFound("item not found");

    /// <summary>An <c>/ampcode/*</c> list edit without <c>value</c>.</summary>
    public static Refusal MissingValue { get; } = Refusal.Invalid("missing value");

    /// <summary>An <c>/ampcode/upstream-api-keys</c> DELETE whose keys are all blank.</summary>
    public static Refusal EmptyValue { get; } = Refusal.Invalid("empty value");

    /// <summary>An OAuth-map PATCH whose <paramref name="keyWord"/> (<c>provider</c> or <c>channel</c>) is blank.</summary>
    public static Refusal InvalidMapKey(string keyWord) => Refusal.Invalid("invalid " + keyWord);

    /// <summary>An OAuth-map DELETE without its <paramref name="keyWord"/> parameter.</summary>
    public static Refusal MissingMapKey(string keyWord) => Refusal.Invalid("missing " + keyWord);

    /// <summary>An OAuth-map DELETE of a key the map does not have.</summary>
    public static Refusal MapKeyNotFound(string keyWord) => Refusal.NotFound(keyWord + " not found");

    /// <summary>A config change that could not be stored, with the storage's <paramref name="reason"/>.</summary>
    public static Refusal SaveFailed(string reason) => new(RefusalKind.WriteFailed, "failed to save config: " + reason);

    /// <summary><c>GET /config.yaml</c> while the config file is missing.</summary>
    public static Refusal ConfigFileNotFound { get; } = new(RefusalKind.NotFound, "not_found", "config file not found");

    /// <summary><c>PUT /config.yaml</c> with an <c>If-Match</c> other than the current <paramref name="etag"/>.</summary>
    public static Refusal DocumentChanged(string etag) =>
        new(RefusalKind.PreconditionFailed, "precondition_failed", "the document changed since it was read (ETag " + etag + ")");

    /// <summary><c>PUT /config.yaml</c> whose body could not be read.</summary>
    public static Refusal UnreadableDocument { get; } = new(RefusalKind.Invalid, "invalid_yaml", "cannot read request body");

    /// <summary><c>PUT /config.yaml</c> with nothing but comments and blanks.</summary>
    public static Refusal EmptyDocument { get; } = new(RefusalKind.Invalid, "invalid_yaml", "config document is empty");

    /// <summary><c>PUT /config.yaml</c> with text that is not YAML the config can read.</summary>
    public static Refusal InvalidYaml(string message) => new(RefusalKind.Invalid, "invalid_yaml", message);

    /// <summary><c>PUT /config.yaml</c> with a document that breaks a rule of the config.</summary>
    public static Refusal InvalidConfig(string message) => new(RefusalKind.Unprocessable, "invalid_config", message);

    /// <summary><c>PUT /config.yaml</c> that could not be stored.</summary>
    public static Refusal DocumentWriteFailed { get; } = new(RefusalKind.WriteFailed, "write_failed", "failed to write config");

    /// <summary><c>PUT /config.yaml</c> that failed for an unexpected <paramref name="reason"/>.</summary>
    public static Refusal DocumentFailed(string reason) => new(RefusalKind.WriteFailed, "write_failed", reason);
}
