using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CliProxy.Domain.Yaml;

/// <summary>
/// Scalar semantics shared by the document editor and the config model: how a plain YAML scalar
/// resolves (YAML 1.1 words as the reference's yaml.v3 decoder accepts them), when a string must be
/// quoted, and how a JSON value is written back as a YAML scalar in a given quoting style.
/// </summary>
public static class YamlScalars
{
    private static readonly HashSet<string> NullWords = new(StringComparer.Ordinal) { "", "~", "null", "Null", "NULL" };

    private static readonly HashSet<string> TrueWords = new(StringComparer.Ordinal)
    { "true", "True", "TRUE", "y", "Y", "yes", "Yes", "YES", "on", "On", "ON" };

    private static readonly HashSet<string> FalseWords = new(StringComparer.Ordinal)
    { "false", "False", "FALSE", "n", "N", "no", "No", "NO", "off", "Off", "OFF" };

    /// <summary>True when the scalar is written without quotes (plain style).</summary>
    public static bool IsPlain(YamlScalarNode node) => node.Style is ScalarStyle.Plain or ScalarStyle.Any;

    /// <summary>True when a plain scalar denotes null (<c>~</c>, <c>null</c>, or nothing at all).</summary>
    public static bool IsNull(YamlScalarNode node) => IsPlain(node) && node.Tag.IsEmpty && NullWords.Contains(node.Value ?? "");

    /// <summary>
    /// Reads a boolean the way the reference does: <c>true/false</c> and the YAML 1.1 words
    /// <c>y/yes/on</c>, <c>n/no/off</c> in lower, capitalised or upper case, the words even when quoted.
    /// </summary>
    public static bool TryReadBool(YamlScalarNode node, out bool value)
    {
        var text = node.Value ?? "";
        var plain = IsPlain(node);
        if (TrueWords.Contains(text) && (plain || !IsCoreBoolWord(text))) { value = true; return true; }
        if (FalseWords.Contains(text) && (plain || !IsCoreBoolWord(text))) { value = false; return true; }
        value = false;
        return false;
    }

    /// <summary>Reads an integer from a plain scalar: decimal, <c>0x</c> hex, <c>0o</c>/<c>0</c> octal, <c>0b</c> binary, underscores allowed.</summary>
    public static bool TryReadInt(YamlScalarNode node, out long value)
    {
        value = 0;
        return IsPlain(node) && TryParseInt(node.Value ?? "", out value);
    }

    /// <summary>Parses YAML integer notation (see <see cref="TryReadInt"/>).</summary>
    public static bool TryParseInt(string text, out long value)
    {
        value = 0;
        var s = text.Replace("_", "");
        if (s.Length == 0) return false;
        var negative = false;
        if (s[0] is '+' or '-') { negative = s[0] == '-'; s = s[1..]; }
        if (s.Length == 0) return false;
        bool ok;
        if (s.StartsWith("0x", StringComparison.Ordinal)) ok = long.TryParse(s[2..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
        else if (s.StartsWith("0o", StringComparison.Ordinal)) ok = TryParseRadix(s[2..], 8, out value);
        else if (s.StartsWith("0b", StringComparison.Ordinal)) ok = TryParseRadix(s[2..], 2, out value);
        else if (s.Length > 1 && s[0] == '0' && s.All(char.IsAsciiDigit)) ok = TryParseRadix(s[1..], 8, out value);
        else ok = s.All(char.IsAsciiDigit) && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (ok && negative) value = -value;
        return ok;
    }

    /// <summary>True when a plain scalar would be read as a float (<c>1.5</c>, <c>1e3</c>, <c>.inf</c>, <c>.nan</c>).</summary>
    public static bool LooksLikeFloat(string s)
    {
        if (s is ".inf" or ".Inf" or ".INF" or "+.inf" or "-.inf" or "+.Inf" or "-.Inf" or ".nan" or ".NaN" or ".NAN") return true;
        return s.Length > 0 && (char.IsAsciiDigit(s[0]) || s[0] is '.' or '-' or '+')
            && double.TryParse(s.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out _)
            && s.Any(char.IsAsciiDigit);
    }

    /// <summary>Converts a scalar to a JSON value by its plain-style resolution (used for untyped data such as payload rules).</summary>
    public static JsonNode? ToJson(YamlScalarNode node)
    {
        var text = node.Value ?? "";
        if (!IsPlain(node)) return JsonValue.Create(text);
        if (NullWords.Contains(text)) return null;
        if (text is "true" or "True" or "TRUE") return JsonValue.Create(true);
        if (text is "false" or "False" or "FALSE") return JsonValue.Create(false);
        if (TryParseInt(text, out var i)) return JsonValue.Create(i);
        if (LooksLikeFloat(text) && double.TryParse(text.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d))
            return JsonValue.Create(d);
        return JsonValue.Create(text);
    }

    /// <summary>
    /// True when <paramref name="node"/> already holds <paramref name="value"/> (a JSON string, number,
    /// boolean or null), so an edit can leave its bytes alone.
    /// </summary>
    public static bool Equivalent(YamlScalarNode node, JsonNode? value)
    {
        if (value is null) return IsNull(node);
        if (value is not JsonValue v) return false;
        var text = node.Value ?? "";
        switch (v.GetValueKind())
        {
            case JsonValueKind.String:
                var s = v.GetValue<string>();
                if (text != s) return false;
                return !IsPlain(node) || !NeedsQuotes(s);
            case JsonValueKind.True or JsonValueKind.False:
                return IsPlain(node) && TryReadBool(node, out var b) && b == (v.GetValueKind() == JsonValueKind.True);
            case JsonValueKind.Number:
                if (!IsPlain(node)) return false;
                if (v.TryGetValue<long>(out var l)) return TryParseInt(text, out var n) && n == l;
                return v.TryGetValue<double>(out var dv) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var dn) && dn == dv;
            default:
                return false;
        }
    }

    /// <summary>True when a string written plain would not read back as the same string.</summary>
    public static bool NeedsQuotes(string s)
    {
        if (s.Length == 0 || NullWords.Contains(s) || TrueWords.Contains(s) || FalseWords.Contains(s)) return true;
        if (TryParseInt(s, out _) || LooksLikeFloat(s)) return true;
        if (char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1])) return true;
        if ("-?:,[]{}#&*!|>'\"%@`".Contains(s[0])) return true;
        if (s.EndsWith(':') || s.Contains(": ", StringComparison.Ordinal) || s.Contains(" #", StringComparison.Ordinal)) return true;
        foreach (var c in s)
            if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF') return true;
        return false;
    }

    /// <summary>
    /// Writes a JSON scalar as YAML text. Strings keep <paramref name="style"/> (double- or
    /// single-quoted) when given, otherwise are plain when that reads back unchanged, else double-quoted.
    /// </summary>
    public static string Render(JsonNode? value, ScalarStyle style = ScalarStyle.Any)
    {
        if (value is null) return "null";
        var v = (JsonValue)value;
        switch (v.GetValueKind())
        {
            case JsonValueKind.True: return "true";
            case JsonValueKind.False: return "false";
            case JsonValueKind.Number: return v.ToJsonString();
            case JsonValueKind.String:
                var s = v.GetValue<string>();
                return style switch
                {
                    ScalarStyle.DoubleQuoted => DoubleQuote(s),
                    ScalarStyle.SingleQuoted when !s.Any(char.IsControl) => "'" + s.Replace("'", "''") + "'",
                    _ when !NeedsQuotes(s) => s,
                    _ => DoubleQuote(s),
                };
            default:
                throw new ArgumentException($"not a scalar: {v.GetValueKind()}", nameof(value));
        }
    }

    /// <summary>A YAML mapping key: plain when safe, else double-quoted.</summary>
    public static string RenderKey(string key) => NeedsQuotes(key) ? DoubleQuote(key) : key;

    private static string DoubleQuote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\0': sb.Append("\\0"); break;
                default:
                    if (char.IsControl(c) || c is '\u2028' or '\u2029' or '\uFEFF') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }

    private static bool IsCoreBoolWord(string s) => s is "true" or "True" or "TRUE" or "false" or "False" or "FALSE";

    private static bool TryParseRadix(string digits, int radix, out long value)
    {
        value = 0;
        if (digits.Length == 0) return false;
        foreach (var c in digits)
        {
            var d = c - '0';
            if (d < 0 || d >= radix) return false;
            value = checked(value * radix + d);
        }
        return true;
    }
}
