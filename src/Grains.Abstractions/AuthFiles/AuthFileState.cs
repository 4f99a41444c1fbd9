namespace CliProxy.Abstractions.AuthFiles;

/// <summary>
/// Persisted state of one auth-file grain. In the embedded mode the storage is the file in
/// <c>auth-dir</c> itself (only <see cref="Json"/> lives there; the other fields are runtime state).
/// </summary>
[GenerateSerializer]
public sealed class AuthFileState
{
    /// <summary>The credential JSON exactly as stored (UTF-8 text), or null when there is no file.</summary>
    [Id(0)] public string? Json { get; set; }

    /// <summary>Status message of the last management change (runtime only in the embedded mode).</summary>
    [Id(1)] public string StatusMessage { get; set; } = "";

    /// <summary>When the credential was first stored or adopted.</summary>
    [Id(2)] public DateTimeOffset? CreatedAt { get; set; }

    /// <summary>When its content last changed.</summary>
    [Id(3)] public DateTimeOffset? UpdatedAt { get; set; }

    /// <summary>
    /// The refresh token the provider refused ("" when none): while the credential still holds it, token
    /// requests fail at once instead of asking the provider again (a new login or upload brings a new one).
    /// Runtime only in the embedded mode.
    /// </summary>
    [Id(4)] public string RejectedRefreshToken { get; set; } = "";
}
