using Orleans;
using Orleans.Runtime;

namespace CliProxy.Tests.Cluster;

/// <summary>A test grain whose only job is to persist a counter through the "pg" storage provider.</summary>
public interface ISchemaProbeGrain : IGrainWithStringKey
{
    /// <summary>Adds one to the stored count, records which silo did it, persists, and returns the count.</summary>
    Task<int> IncrementAsync();
}

/// <summary>The probe grain's persisted state (a plain class: JSON storage needs no attributes).</summary>
public sealed class SchemaProbeState
{
    /// <summary>How many increments were persisted.</summary>
    public int Count { get; set; }

    /// <summary>The silo that persisted each increment.</summary>
    public List<string> Silos { get; set; } = [];
}

/// <summary>Implements <see cref="ISchemaProbeGrain"/> over ADO.NET grain storage.</summary>
public sealed class SchemaProbeGrain(
    [PersistentState("schema-probe", SchemaProbeGrain.StorageName)] IPersistentState<SchemaProbeState> state,
    ILocalSiloDetails silo) : Grain, ISchemaProbeGrain
{
    /// <summary>The grain storage provider name the probe uses.</summary>
    public const string StorageName = "pg";

    /// <inheritdoc />
    public async Task<int> IncrementAsync()
    {
        state.State.Count++;
        state.State.Silos.Add(silo.SiloAddress.ToString());
        await state.WriteStateAsync();
        return state.State.Count;
    }
}
