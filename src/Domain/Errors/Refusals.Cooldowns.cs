namespace CliProxy.Domain.Errors;

public static partial class Refusals
{
    /// <summary>A cooldown report without a credential id.</summary>
    public static Refusal CooldownCredentialRequired { get; } = Refusal.Invalid("cooldown report: credential id is required");

    /// <summary>A cooldown report without a model.</summary>
    public static Refusal CooldownModelRequired { get; } = Refusal.Invalid("cooldown report: model is required");
}
