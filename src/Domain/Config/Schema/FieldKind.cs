namespace CliProxy.Domain.Config.Schema;

/// <summary>
/// The value kinds found in the config document. Typed values are held as JSON nodes: strings,
/// integers (long) and booleans as <see cref="System.Text.Json.Nodes.JsonValue"/>, lists as
/// <see cref="System.Text.Json.Nodes.JsonArray"/>, maps and objects as
/// <see cref="System.Text.Json.Nodes.JsonObject"/>; an absent key is simply missing.
/// </summary>
public abstract record FieldKind
{
    /// <summary>A string (any YAML scalar is accepted, as by the reference's decoder).</summary>
    public static readonly FieldKind Text = new ScalarKind(ScalarType.String);

    /// <summary>A 64-bit integer.</summary>
    public static readonly FieldKind Int = new ScalarKind(ScalarType.Int);

    /// <summary>A boolean.</summary>
    public static readonly FieldKind Bool = new ScalarKind(ScalarType.Bool);

    /// <summary>A tri-state boolean: absent, true or false (a Go <c>*bool</c>).</summary>
    public static readonly FieldKind OptionalBool = new ScalarKind(ScalarType.OptionalBool);

    /// <summary>Any value, kept as written (payload rule parameters).</summary>
    public static readonly FieldKind Any = new AnyKind();

    /// <summary>A list of <paramref name="item"/>.</summary>
    public static FieldKind ListOf(FieldKind item) => new ListKind(item);

    /// <summary>A map from string keys to <paramref name="value"/>, in document order.</summary>
    public static FieldKind MapOf(FieldKind value) => new MapKind(value);

    /// <summary>A nested object of the given schema.</summary>
    public static FieldKind Object(ObjectSchema schema) => new ObjectKind(schema);

    /// <summary>The type name used in decoding errors (after Go's names: <c>bool</c>, <c>[]string</c>, ...).</summary>
    public abstract string TypeName { get; }
}

/// <summary>Scalar types.</summary>
public enum ScalarType
{
    /// <summary>String.</summary>
    String,
    /// <summary>Integer.</summary>
    Int,
    /// <summary>Boolean.</summary>
    Bool,
    /// <summary>Tri-state boolean.</summary>
    OptionalBool,
}

/// <summary>A scalar kind.</summary>
public sealed record ScalarKind(ScalarType Type) : FieldKind
{
    /// <inheritdoc />
    public override string TypeName => Type switch
    {
        ScalarType.String => "string",
        ScalarType.Int => "int",
        ScalarType.Bool => "bool",
        _ => "*bool",
    };
}

/// <summary>Untyped data.</summary>
public sealed record AnyKind : FieldKind
{
    /// <inheritdoc />
    public override string TypeName => "interface {}";
}

/// <summary>A list.</summary>
public sealed record ListKind(FieldKind Item) : FieldKind
{
    /// <inheritdoc />
    public override string TypeName => "[]" + Item.TypeName;
}

/// <summary>A string-keyed map.</summary>
public sealed record MapKind(FieldKind Value) : FieldKind
{
    /// <inheritdoc />
    public override string TypeName => "map[string]" + Value.TypeName;
}

/// <summary>A nested object.</summary>
public sealed record ObjectKind(ObjectSchema Schema) : FieldKind
{
    /// <inheritdoc />
    public override string TypeName => Schema.TypeName;
}
