namespace CliProxy.Gateway.Mirrors;

/// <summary>
/// A node-local copy of grain state (see <see cref="GrainStateMirror{TState}"/>), as the
/// connection watch sees it: every registered mirror is invalidated when the cluster connection is
/// lost or recovered.
/// </summary>
public interface IGrainStateMirror
{
    /// <summary>
    /// Stops trusting the copy: it may have missed pushes. Readers that need the state read it from
    /// the grain again; the next pass subscribes again and refreshes it. Never throws.
    /// </summary>
    void Invalidate();
}
