using CliProxy.Domain.OAuth;
using Microsoft.Extensions.Logging;

namespace CliProxy.Grains.OAuth.Flows;

/// <summary>Everything of one login that a flow sees.</summary>
/// <param name="State">The session's state.</param>
/// <param name="Endpoints">The provider's endpoints and client registration.</param>
/// <param name="Settings">The login settings (timings).</param>
/// <param name="Http">The outbound client of this login (through the configured proxy).</param>
/// <param name="Time">The clock.</param>
/// <param name="Data">The flow's own values (PKCE verifier, device code, …): written by the start, persisted with the session, read by the later steps.</param>
/// <param name="Logger">The session's logger.</param>
public sealed record OAuthFlowContext(
    string State,
    OAuthEndpoints Endpoints,
    OAuthSettings Settings,
    HttpClient Http,
    TimeProvider Time,
    IDictionary<string, string> Data,
    ILogger Logger);
