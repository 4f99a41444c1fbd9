using CliProxy.Domain.Config.Settings;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Routing;
using CliProxy.Domain.Proxy.Upstreams;

namespace CliProxy.Gateway.Proxy.Routing;

/// <summary>One client request on the data plane, as routing needs it.</summary>
/// <param name="Call">The client's request (protocol, body, stream flag, query without client-auth parameters).</param>
/// <param name="Model">The requested model, split from its thinking suffix.</param>
/// <param name="ClientKey">The accepted client key (<c>""</c> when none are configured).</param>
/// <param name="Route">The route template, e.g. <c>POST /v1/chat/completions</c> (usage records' API identity when there is no client key).</param>
/// <param name="Settings">The config version the request is served with.</param>
public sealed record ProxyCall(ClientCall Call, ModelName Model, string ClientKey, string Route, ConfigSettings Settings)
{
    /// <summary>Whether attempts of this request make usage records: token counting makes none (spec usage §1.2).</summary>
    public bool Counts => Call.Protocol is not (ClientProtocol.ClaudeCountTokens or ClientProtocol.GeminiCountTokens);
}
