using CliProxy.Domain.Config.Settings;
using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Proxy.Access;

/// <summary>The outcome of the client-key check of one proxy request (spec usage §5.2).</summary>
public enum ClientKeyVerdict
{
    /// <summary>Accepted: a configured key was presented, or no keys are configured.</summary>
    Accepted,

    /// <summary>No key presented: <c>401 {"error":"Missing API key"}</c>.</summary>
    Missing,

    /// <summary>Keys presented, none configured: <c>401 {"error":"Invalid API key"}</c>.</summary>
    Invalid,
}

/// <summary>
/// Client authentication of the data plane (spec usage §5.2): with an empty <c>api-keys</c> every request is accepted
/// with an empty principal; else the first presented key (<see cref="PresentedKeys.Client(HttpRequest)"/>: bearer
/// token, <c>X-Goog-Api-Key</c>, <c>X-Api-Key</c>, <c>?key=</c>, <c>?auth_token=</c>) that is configured is the principal.
/// </summary>
public static class ClientKeyCheck
{
    /// <summary>The verdict and the principal (<c>""</c> unless a key was accepted) of <paramref name="presented"/> under <paramref name="config"/>.</summary>
    public static (ClientKeyVerdict Verdict, string Key) Check(IReadOnlyList<PresentedClientKey> presented, ConfigSettings config)
    {
        if (config.ClientKeys.Count == 0) return (ClientKeyVerdict.Accepted, "");
        if (presented.Count == 0) return (ClientKeyVerdict.Missing, "");
        foreach (var key in presented)
            if (config.ClientKeys.Contains(key.Value)) return (ClientKeyVerdict.Accepted, key.Value);
        return (ClientKeyVerdict.Invalid, "");
    }
}
