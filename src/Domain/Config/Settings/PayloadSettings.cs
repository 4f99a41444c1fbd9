using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Nodes;
using static CliProxy.Domain.Config.Settings.ModelReader;

namespace CliProxy.Domain.Config.Settings;

/// <summary><c>payload</c>: rules that change request bodies sent upstream, per model.</summary>
/// <param name="Default"><c>default</c>: parameters set when the request has none.</param>
/// <param name="DefaultRaw"><c>default-raw</c>: as <paramref name="Default"/>, string values being JSON texts.</param>
/// <param name="Override"><c>override</c>: parameters always set.</param>
/// <param name="OverrideRaw"><c>override-raw</c>: as <paramref name="Override"/>, string values being JSON texts.</param>
/// <param name="Filter"><c>filter</c>: parameters removed.</param>
public sealed record PayloadSettings(ImmutableArray<PayloadRule> Default, ImmutableArray<PayloadRule> DefaultRaw,
    ImmutableArray<PayloadRule> Override, ImmutableArray<PayloadRule> OverrideRaw, ImmutableArray<PayloadFilterRule> Filter)
{
    internal PayloadSettings(JsonObject? o) : this(Rules(o, "default"), Rules(o, "default-raw"), Rules(o, "override"), Rules(o, "override-raw"),
        Objects(o, "filter", r => new PayloadFilterRule(Models(r), Strings(r, "params"))))
    {
    }

    private static ImmutableArray<PayloadRule> Rules(JsonObject? o, string key) =>
        Objects(o, key, r => new PayloadRule(Models(r), Map(r, "params", Element)));

    private static ImmutableArray<PayloadModel> Models(JsonObject rule) =>
        Objects(rule, "models", m => new PayloadModel(Text(m, "name"), Text(m, "protocol")));
}

/// <summary>A payload rule: for the matching models, set each parameter (a JSON path) to its value.</summary>
/// <param name="Models">The models the rule applies to.</param>
/// <param name="Params">JSON path → value.</param>
public sealed record PayloadRule(ImmutableArray<PayloadModel> Models, FrozenDictionary<string, JsonElement> Params);

/// <summary>A payload filter rule: for the matching models, remove each parameter (a JSON path).</summary>
/// <param name="Models">The models the rule applies to.</param>
/// <param name="Params">JSON paths.</param>
public sealed record PayloadFilterRule(ImmutableArray<PayloadModel> Models, ImmutableArray<string> Params);

/// <summary>A model selector of a payload rule.</summary>
/// <param name="Name"><c>name</c>: a model name (<c>*</c> wildcards).</param>
/// <param name="Protocol"><c>protocol</c>: limits the rule to one client protocol, or <c>""</c>.</param>
public sealed record PayloadModel(string Name, string Protocol);
