using CliProxy.Domain.Proxy.Routing;

namespace CliProxy.Gateway.Proxy.Forwarding;

/// <summary>How one upstream attempt ended.</summary>
public enum AttemptEnd
{
    /// <summary>The upstream answered 2xx and the answer was passed to the client.</summary>
    Served,

    /// <summary>The upstream answered non-2xx, or not at all, before anything was sent to the client: another credential may serve.</summary>
    Failed,

    /// <summary>The client went away.</summary>
    Cancelled,

    /// <summary>The answer broke after it started (the client saw part of it): nothing more can be sent.</summary>
    Broken,
}

/// <summary>The outcome of one attempt.</summary>
/// <param name="End">How it ended.</param>
/// <param name="Status">The upstream status (0 when none came).</param>
/// <param name="Failure">The failure, for <see cref="AttemptEnd.Failed"/>.</param>
public sealed record AttemptResult(AttemptEnd End, int Status, UpstreamFailure? Failure = null);
