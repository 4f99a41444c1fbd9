namespace CliProxy.Domain.Proxy.Routing;

/// <summary>
/// A requested model split into the name that routes and its thinking suffix (spec usage §5.1): <c>gemini-2.5-pro(8192)</c>
/// routes as <c>gemini-2.5-pro</c>; the suffix goes upstream again after the model is rewritten (§5.3 step 6).
/// </summary>
/// <param name="Base">The name without the suffix.</param>
/// <param name="Suffix">The suffix including its parentheses, or <c>""</c>.</param>
public readonly record struct ModelName(string Base, string Suffix)
{
    /// <summary>The model <c>auto</c>: the first model available (spec usage §5.1).</summary>
    public const string Auto = "auto";

    /// <summary>Splits <paramref name="model"/> (trimmed); a name that is only a suffix keeps it as its base.</summary>
    public static ModelName Parse(string model)
    {
        var name = model.Trim();
        if (name.EndsWith(')') && name.LastIndexOf('(') is var open and > 0) return new ModelName(name[..open], name[open..]);
        return new ModelName(name, "");
    }

    /// <summary><paramref name="upstream"/> with this name's suffix.</summary>
    public string Rewrite(string upstream) => upstream + Suffix;
}
