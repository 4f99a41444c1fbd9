using System.Text.Json.Nodes;
using CliProxy.Domain.Config.Resources;

namespace CliProxy.Tests.Grains;

/// <summary>
/// A config resource of the test silos that fails where the body says: <c>edit</c> throws from
/// <see cref="Edit"/>; <c>apply</c> returns a good change followed by one the working copy cannot
/// apply (an empty path), so the failure comes after part of the edit was applied; <c>render</c>
/// returns a value the YAML writer cannot write (NaN). Any other body is a good change of
/// <c>x-fault-ok</c>.
/// </summary>
public sealed class FaultyConfigResource : ConfigResource
{
    /// <summary>The route of this resource.</summary>
    public const string Path = "/test-fault";

    /// <summary>Top-level key the partial change of the <c>apply</c> fault sets.</summary>
    public const string PartialKey = "x-fault-partial";

    /// <inheritdoc />
    public override string Route => Path;

    /// <inheritdoc />
    public override IReadOnlyList<string> EditMethods => ["PUT"];

    /// <inheritdoc />
    public override string Summary => "test resource that fails";

    /// <inheritdoc />
    public override JsonObject Read(IConfigView config) => [];

    /// <inheritdoc />
    public override EditOutcome Edit(IConfigView config, ResourceRequest request) => request.Body switch
    {
        "edit" => throw new InvalidOperationException("fault in the resource"),
        "apply" => EditOutcome.Ok(new ConfigChange([PartialKey], JsonValue.Create(true)), new ConfigChange([], JsonValue.Create(1))),
        "render" => EditOutcome.Ok(new ConfigChange(["x-fault-render"], JsonValue.Create(double.NaN))),
        _ => EditOutcome.Ok(new ConfigChange(["x-fault-ok"], JsonValue.Create(request.Body))),
    };
}
