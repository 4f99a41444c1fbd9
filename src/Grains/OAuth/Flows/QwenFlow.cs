using System.Collections.Immutable;
using CliProxy.Domain.OAuth;
using CliProxy.Domain.OAuth.Credentials;
using CliProxy.Grains.OAuth.Http;

namespace CliProxy.Grains.OAuth.Flows;

/// <summary>
/// Qwen (spec §5.9.5): a device code requested with a PKCE challenge (32-byte verifier), then polled at
/// <see cref="OAuthSettings.PollInterval"/> (<c>slow_down</c>: × 1.5, at most 10 s) for at most 60 polls
/// or the code's life; every failure records <c>Authentication failed</c> (with the cause). Unlike the
/// reference, polls go through the configured proxy and stop when the session is cancelled or expires.
/// </summary>
public sealed class QwenFlow : IOAuthPollingFlow
{
    private const string Failed = "Authentication failed";
    private const string Scope = "openid profile email model.completion";
    private const int MaxPolls = 60;
    private static readonly TimeSpan SlowDownCap = TimeSpan.FromSeconds(10);

    /// <inheritdoc />
    public string Provider => OAuthProviders.Qwen;

    /// <inheritdoc />
    public string TimeoutMessage => Failed + ": device code expired";

    /// <inheritdoc />
    public string SaveFailedMessage => "Failed to save authentication tokens";

    /// <inheritdoc />
    public async Task<OAuthFlowStart> StartAsync(OAuthFlowContext context, ImmutableDictionary<string, string> options, CancellationToken cancellationToken)
    {
        var pkce = Pkce.Create(32);
        var e = context.Endpoints;
        var answer = await context.Http.PostFormAsync(e.DeviceCodeUrl, new Dictionary<string, string>
        {
            ["client_id"] = e.ClientId,
            ["scope"] = Scope,
            ["code_challenge"] = pkce.Challenge,
            ["code_challenge_method"] = "S256",
        }, cancellationToken);
        var device = DeviceCode.Read(answer);
        context.Data[FlowData.Verifier] = pkce.Verifier;
        context.Data[DeviceCode.Code] = device.DeviceCode;
        var interval = context.Settings.PollInterval;
        var wait = interval * MaxPolls;
        if (device.ExpiresIn > 0 && TimeSpan.FromSeconds(device.ExpiresIn) < wait) wait = TimeSpan.FromSeconds(device.ExpiresIn);
        return new OAuthFlowStart(device.Url, wait, interval, DeviceCode.Fields(device.UserCode, wait));
    }

    /// <inheritdoc />
    public async Task<OAuthPoll> PollAsync(OAuthFlowContext context, CancellationToken cancellationToken)
    {
        var e = context.Endpoints;
        var interval = DeviceCode.StoredInterval(context, context.Settings.PollInterval);
        var answer = await DeviceCode.PollOnce(() => context.Http.PostFormAsync(e.TokenUrl, new Dictionary<string, string>
        {
            ["grant_type"] = DeviceCode.GrantType,
            ["client_id"] = e.ClientId,
            ["device_code"] = context.Data[DeviceCode.Code],
            ["code_verifier"] = context.Data[FlowData.Verifier],
        }, cancellationToken), cancellationToken);
        if (answer is null) return OAuthPoll.Wait(interval);
        if (answer.Status == 400)
        {
            switch (TokenGrant.Text(answer.Json, "error"))
            {
                case "authorization_pending":
                    return OAuthPoll.Wait(interval);
                case "slow_down":
                    var slower = interval * 1.5 < SlowDownCap ? interval * 1.5 : SlowDownCap;
                    DeviceCode.StoreInterval(context, slower);
                    return OAuthPoll.Wait(slower);
                case "expired_token":
                    throw new OAuthLoginFailure(Failed + ": device code expired");
                case "access_denied":
                    throw new OAuthLoginFailure(Failed + ": access denied");
            }
        }
        if (answer.Status != 200 || answer.Json is null) throw new OAuthLoginFailure($"{Failed}: token endpoint answered {answer.Status}");
        var grant = TokenGrant.From(answer.Json);
        if (grant.AccessToken.Length == 0) throw new OAuthLoginFailure(Failed + ": no access token");
        return OAuthPoll.Done(QwenCredential.Build(grant, context.Time.GetUtcNow()));
    }
}
