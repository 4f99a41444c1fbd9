namespace CliProxy.Domain.Proxy.Cooldowns;

/// <summary>One credential and one requested model (suffix-stripped), compared ordinally.</summary>
/// <param name="CredentialId">The credential's id.</param>
/// <param name="Model">The requested model.</param>
public readonly record struct CooldownKey(string CredentialId, string Model);
