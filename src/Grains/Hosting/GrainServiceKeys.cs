namespace CliProxy.Grains.Hosting;

/// <summary>Keys of services the grains resolve as keyed services.</summary>
public static class GrainServiceKeys
{
    /// <summary>
    /// The clock of the domain logic (bans, versions). Keyed, so tests can replace it without
    /// replacing Orleans' own <see cref="TimeProvider"/> (which drives membership and timers).
    /// </summary>
    public const string Clock = "cliproxy-clock";
}
