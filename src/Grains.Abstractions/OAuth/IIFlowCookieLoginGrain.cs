using CliProxy.Abstractions.Calls;
using CliProxy.Domain.Errors;
using Orleans.Concurrency;

namespace CliProxy.Abstractions.OAuth;

/// <summary>
/// The iFlow cookie login (<c>POST /iflow-auth-url</c>, spec §5.9.8): synchronous, no session. Checks the
/// cookie, refuses a <c>BXAuth</c> value some iFlow credential already holds, asks the iFlow platform for the
/// account's API key (and renews it), and stores the credential through its auth-file grain. A stateless
/// worker: any silo runs it (key 0).
/// </summary>
public interface IIFlowCookieLoginGrain : IGrainWithIntegerKey
{
    /// <summary>Runs the login with the browser cookie <paramref name="cookie"/>; upstream calls go through <paramref name="proxyUrl"/>.</summary>
    [ResendWhenNotDelivered]
    Task<CookieLoginResult> Login(string cookie, string proxyUrl);
}

/// <summary>Outcome of <see cref="IIFlowCookieLoginGrain.Login"/>.</summary>
/// <param name="Refusal">Why the login failed (its words are the answer's <c>error</c>), or null on success.</param>
/// <param name="ExistingFile">On a duplicate (<see cref="RefusalKind.Conflict"/>): the file that holds the same <c>BXAuth</c>.</param>
/// <param name="FileName">On success: the file written.</param>
/// <param name="Email">On success: the API key's name (stored as <c>email</c>).</param>
/// <param name="Expired">On success: the key's expiry as the platform gives it (<c>yyyy-MM-dd HH:mm</c>).</param>
[GenerateSerializer, Immutable]
public sealed record CookieLoginResult(
    [property: Id(0)] Refusal? Refusal,
    [property: Id(2)] string? ExistingFile = null,
    [property: Id(3)] string FileName = "",
    [property: Id(4)] string Email = "",
    [property: Id(5)] string Expired = "")
{
    /// <summary>A failed login.</summary>
    public static CookieLoginResult Refused(RefusalKind kind, string error, string? existingFile = null) => new(new Refusal(kind, error), existingFile);
}
