using Xunit.Abstractions;
using Xunit.Sdk;

namespace CliProxy.Tests.Support;

/// <summary>
/// The category of a test class, as the xunit trait <c>Category</c>: run a subset with
/// <c>dotnet test --filter Category=Unit</c> (or <c>Grain</c>, <c>Http</c>, <c>Process</c>,
/// <c>Cluster</c>; combine with <c>|</c>). Every test class carries exactly one.
/// </summary>
[TraitDiscoverer("CliProxy.Tests.Support.CategoryDiscoverer", "CliProxy.Tests")]
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false)]
public abstract class CategoryAttribute(string name) : Attribute, ITraitAttribute
{
    /// <summary>The trait's value.</summary>
    public string Name { get; } = name;
}

/// <summary>Pure rules: no silo, no host, no process; milliseconds each.</summary>
[TraitDiscoverer("CliProxy.Tests.Support.CategoryDiscoverer", "CliProxy.Tests")]
public sealed class UnitAttribute() : CategoryAttribute("Unit");

/// <summary>Grains in an in-process Orleans test cluster (2 silos), or a gateway service against it.</summary>
[TraitDiscoverer("CliProxy.Tests.Support.CategoryDiscoverer", "CliProxy.Tests")]
public sealed class GrainAttribute() : CategoryAttribute("Grain");

/// <summary>The HTTP contract against the gateway hosted in the test process (<see cref="InProcessGateway"/>).</summary>
[TraitDiscoverer("CliProxy.Tests.Support.CategoryDiscoverer", "CliProxy.Tests")]
public sealed class HttpAttribute() : CategoryAttribute("Http");

/// <summary>The gateway as a separate process (<see cref="GatewayProcess"/>): restarts, kills, process-wide environment, real sockets, soak.</summary>
[TraitDiscoverer("CliProxy.Tests.Support.CategoryDiscoverer", "CliProxy.Tests")]
public sealed class ProcessAttribute() : CategoryAttribute("Process");

/// <summary>PostgreSQL (a throwaway server) and multi-process clusters of silos and gateways.</summary>
[TraitDiscoverer("CliProxy.Tests.Support.CategoryDiscoverer", "CliProxy.Tests")]
public sealed class ClusterAttribute() : CategoryAttribute("Cluster");

/// <summary>Turns a <see cref="CategoryAttribute"/> into the trait <c>Category=&lt;name&gt;</c>.</summary>
public sealed class CategoryDiscoverer : ITraitDiscoverer
{
    /// <inheritdoc />
    public IEnumerable<KeyValuePair<string, string>> GetTraits(IAttributeInfo traitAttribute)
    {
        yield return new("Category", traitAttribute.GetNamedArgument<string>(nameof(CategoryAttribute.Name)));
    }
}
