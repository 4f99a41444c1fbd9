namespace CliProxy.Domain.Errors;

/// <summary>This part: the credential routes and the Vertex import (spec <c>management-auth.md</c>).</summary>
public static partial class Refusals
{
    /// <summary><c>auth file not found</c>: the credential named by a query, status or fields edit does not exist.</summary>
    public static Refusal AuthFileNotFound { get; } = Refusal.NotFound("auth file not found");

    /// <summary><c>file not found</c>: the credential to download or delete does not exist.</summary>
    public static Refusal FileNotFound { get; } = Refusal.NotFound("file not found");

    /// <summary>A credential name that is empty or not a plain file name.</summary>
    public static Refusal InvalidName { get; } = Refusal.Invalid("invalid name");

    /// <summary>A credential name without the <c>.json</c> suffix.</summary>
    public static Refusal NameMustEndWithJson { get; } = Refusal.Invalid("name must end with .json");

    /// <summary>The same for a file part of a multipart upload.</summary>
    public static Refusal FileMustBeJson { get; } = Refusal.Invalid("file must be .json");

    /// <summary>A credential over <paramref name="limit"/> bytes.</summary>
    public static Refusal AuthFileTooLarge(int limit) => new(RefusalKind.TooLarge, $"auth file too large (limit {limit} bytes)");

    /// <summary>A file part of a multipart upload over <paramref name="limit"/> bytes.</summary>
    public static Refusal UploadedFileTooLarge(int limit) => new(RefusalKind.TooLarge, $"file too large (limit {limit} bytes)");

    /// <summary>A credential that is not a JSON object, with the parser's <paramref name="problem"/>.</summary>
    public static Refusal InvalidAuthFile(string problem) => Refusal.Invalid("invalid auth file: " + problem);

    /// <summary>A <c>prefix</c> with more than one path segment.</summary>
    public static Refusal InvalidPrefix { get; } = Refusal.Invalid("invalid prefix: must be a single segment without '/'");

    /// <summary><c>PATCH /auth-files/status</c> without <c>disabled</c>.</summary>
    public static Refusal DisabledRequired { get; } = Refusal.Invalid("disabled is required");

    /// <summary><c>PATCH /auth-files/fields</c> that names no field.</summary>
    public static Refusal NoFieldsToUpdate { get; } = Refusal.Invalid("no fields to update");

    /// <summary>A multipart upload that could not be read.</summary>
    public static Refusal InvalidMultipart(string reason) => Refusal.Invalid("invalid multipart form: " + reason);

    /// <summary>A multipart upload without file parts.</summary>
    public static Refusal NoFilesUploaded { get; } = Refusal.Invalid("no files uploaded");

    /// <summary>A credential that could not be deleted from storage.</summary>
    public static Refusal RemoveFailed(string reason) => new(RefusalKind.WriteFailed, "failed to remove file: " + reason);

    /// <summary>A credential that could not be stored.</summary>
    public static Refusal WriteFailed(string reason) => new(RefusalKind.WriteFailed, "failed to write file: " + reason);

    /// <summary><c>GET /model-definitions</c> without a channel.</summary>
    public static Refusal ChannelRequired { get; } = Refusal.Invalid("channel is required");

    /// <summary>The <c>error</c> of <c>GET /model-definitions</c> for a channel without a catalog (its body also names the channel).</summary>
    public const string UnknownChannel = "unknown channel";

    /// <summary><c>POST /vertex/import</c> without a <c>file</c> part.</summary>
    public static Refusal FileRequired { get; } = Refusal.Invalid("file required");

    /// <summary><c>POST /vertex/import</c> whose form could not be read.</summary>
    public static Refusal ReadFileFailed(string reason) => Refusal.Invalid("failed to read file: " + reason);

    /// <summary>A service-account key that is not JSON (or not an object).</summary>
    public static Refusal InvalidJson(string message) => new(RefusalKind.Invalid, "invalid json", message);

    /// <summary>A service-account key that is not a usable service account.</summary>
    public static Refusal InvalidServiceAccount(string message) => new(RefusalKind.Invalid, "invalid service account", message);

    /// <summary>A service-account key without <c>project_id</c>.</summary>
    public static Refusal ProjectIdMissing { get; } = Refusal.Invalid("project_id missing");

    /// <summary>A Vertex credential of the same project that holds another service account.</summary>
    public static Refusal CredentialExists(string fileName, string email) =>
        new(RefusalKind.Conflict, "auth file exists", $"{fileName} holds service account {email}; delete it first");

    /// <summary>An imported Vertex credential that could not be stored, with the store's words.</summary>
    public static Refusal ImportSaveFailed(string reason) => new(RefusalKind.WriteFailed, "save_failed", reason);
}
