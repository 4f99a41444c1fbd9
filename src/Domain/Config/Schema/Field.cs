using System.Text.Json.Nodes;

namespace CliProxy.Domain.Config.Schema;

/// <summary>
/// One key of a config mapping: its YAML/JSON name (they are the same), its kind, whether the
/// reference omits it when empty (Go <c>omitempty</c>), and its default when
/// absent from the file.
/// </summary>
/// <param name="Name">Key name, e.g. <c>api-key</c>.</param>
/// <param name="Kind">Value kind.</param>
/// <param name="OmitEmpty">Left out of JSON output when empty; for objects: when absent.</param>
/// <param name="Default">Value used when the key is absent, or null for the zero value.</param>
/// <param name="Hidden">Never part of <c>GET /config</c> (host, port, auth-dir, remote-management).</param>
/// <param name="Check">
/// The rule a value must keep, whichever way it comes in (its route, a whole document, a hand
/// edit): the problem in words (e.g. <c>value must not be negative</c>), or null when the value is
/// valid. See <see cref="FieldRules"/>.
/// </param>
/// <param name="Normalize">
/// Turns a decoded value into the one in force (e.g. a negative size → 0), on load and on write;
/// returns a new node (or the same one when nothing changes).
/// </param>
public sealed record Field(string Name, FieldKind Kind, bool OmitEmpty = false, JsonNode? Default = null, bool Hidden = false,
    Func<JsonNode, string?>? Check = null, Func<JsonNode, JsonNode>? Normalize = null);

/// <summary>The ordered keys of one mapping type (an entry of a provider list, or a config section).</summary>
/// <param name="TypeName">Name used in decoding errors, after the reference's Go type (e.g. <c>config.GeminiKey</c>).</param>
/// <param name="Fields">Keys in output order.</param>
public sealed record ObjectSchema(string TypeName, IReadOnlyList<Field> Fields)
{
    /// <summary>The field called <paramref name="name"/> (exact match), or null.</summary>
    public Field? Find(string name)
    {
        foreach (var f in Fields)
            if (f.Name == name) return f;
        return null;
    }
}
