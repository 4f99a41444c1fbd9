using Xunit;

namespace CliProxy.Tests.Cluster;

/// <summary>
/// Test classes that need PostgreSQL join this collection and share one <see cref="PostgresServer"/>
/// (one server start per test run); each class isolates its data by cluster / service id.
/// </summary>
[CollectionDefinition(Name)]
public sealed class PostgresCollection : ICollectionFixture<PostgresServer>
{
    /// <summary>The collection name to put in <c>[Collection(...)]</c>.</summary>
    public const string Name = "PostgreSQL";
}
