using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using System.Web;
using CliProxy.Domain.OAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace CliProxy.Tests.Support.Fakes;

/// <summary>
/// The fake's device-code side (Qwen, Kimi): <c>POST /&lt;provider&gt;/device</c> issues a device code (with
/// Qwen's PKCE challenge), the user's approval is <see cref="ApproveDevice"/> or <see cref="DenyDevice"/>,
/// and the token endpoint answers device-code polls (<c>authorization_pending</c> until then; tokens once).
/// </summary>
public sealed partial class FakeOAuthServer
{
    private readonly ConcurrentDictionary<string, DeviceGrant> _devices = new();

    /// <summary>When set, the device endpoints answer this status.</summary>
    public int? DeviceFailure { get; set; }

    /// <summary>The <c>interval</c> the device endpoints answer (seconds).</summary>
    public int DeviceInterval { get; set; } = 1;

    /// <summary>Approves the device login of <paramref name="verificationUrl"/> (a start route's <c>url</c>) as <see cref="Account"/>.</summary>
    public void ApproveDevice(string verificationUrl) => Decide(verificationUrl, approved: true);

    /// <summary>Denies the device login of <paramref name="verificationUrl"/>.</summary>
    public void DenyDevice(string verificationUrl) => Decide(verificationUrl, approved: false);

    /// <summary>Polls the token endpoint got for the device login of <paramref name="verificationUrl"/>.</summary>
    public int DevicePolls(string verificationUrl) => Grant(verificationUrl).Polls;

    private void Decide(string verificationUrl, bool approved)
    {
        var grant = Grant(verificationUrl);
        lock (grant)
        {
            grant.Account = Account;
            grant.Decision = approved;
        }
    }

    private DeviceGrant Grant(string verificationUrl)
    {
        var userCode = HttpUtility.ParseQueryString(new Uri(verificationUrl).Query)["user_code"] ?? "";
        return _devices.Values.Single(d => d.UserCode == userCode);
    }

    private void MapDeviceEndpoints(IEndpointRouteBuilder app) => app.MapPost("/{provider}/device", async (HttpContext http, string provider) =>
    {
        var fields = await FieldsAsync(http.Request);
        Record(http, fields);
        if (DeviceFailure is { } failure) return Json(new JsonObject { ["error"] = "server_error" }, failure);
        if (fields.GetValueOrDefault("client_id") != OAuthDefaults.For(provider).ClientId) return Refuse("invalid_client");
        var grant = new DeviceGrant(provider, "dc-" + Guid.NewGuid().ToString("N"), "UC-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant(),
            fields.GetValueOrDefault("code_challenge"));
        _devices[grant.DeviceCode] = grant;
        var verify = $"{BaseUrl}/{provider}/verify";
        return Json(new JsonObject
        {
            ["device_code"] = grant.DeviceCode,
            ["user_code"] = grant.UserCode,
            ["verification_uri"] = verify,
            ["verification_uri_complete"] = verify + "?user_code=" + grant.UserCode,
            ["expires_in"] = 600,
            ["interval"] = DeviceInterval,
        });
    });

    /// <summary>A device-code poll at <c>/&lt;provider&gt;/token</c>.</summary>
    private IResult DeviceToken(string provider, Dictionary<string, string> fields)
    {
        if (!_devices.TryGetValue(fields.GetValueOrDefault("device_code", ""), out var grant) || grant.Provider != provider) return Refuse("invalid_grant");
        if (fields.GetValueOrDefault("client_id") != OAuthDefaults.For(provider).ClientId) return Refuse("invalid_client");
        if (grant.Challenge is { } challenge && Pkce.ChallengeOf(fields.GetValueOrDefault("code_verifier", "")) != challenge)
            return Refuse("invalid_grant: PKCE verifier does not match the challenge");
        FakeAccount account;
        lock (grant)
        {
            grant.Polls++;
            if (grant.Decision is null) return Refuse("authorization_pending");
            if (grant.Decision == false) return Refuse("access_denied");
            if (grant.Used) return Refuse("expired_token");
            grant.Used = true;
            account = grant.Account!;
        }
        var answer = IssueTokens(provider, account, DeviceAccessToken(provider, account));
        if (provider == OAuthProviders.Qwen) answer["resource_url"] = "portal.qwen.ai";
        if (provider == OAuthProviders.Kimi) answer["scope"] = "kimi-code";
        return Json(answer);
    }

    /// <summary>A JWT access token naming the account (<c>user_id</c>) when it has a device user id, else an opaque one.</summary>
    private static string DeviceAccessToken(string provider, FakeAccount account)
    {
        if (account.DeviceUserId.Length == 0) return $"at-{provider}-{Guid.NewGuid():N}";
        static string Part(JsonNode node) => Convert.ToBase64String(Encoding.UTF8.GetBytes(node.ToJsonString())).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return Part(new JsonObject { ["alg"] = "none", ["typ"] = "JWT" }) + "." +
               Part(new JsonObject { ["user_id"] = account.DeviceUserId, ["jti"] = Guid.NewGuid().ToString("N") }) + ".";
    }

    /// <summary>A device code the fake issued.</summary>
    private sealed class DeviceGrant(string provider, string deviceCode, string userCode, string? challenge)
    {
        public string Provider { get; } = provider;

        public string DeviceCode { get; } = deviceCode;

        public string UserCode { get; } = userCode;

        public string? Challenge { get; } = challenge;

        public bool? Decision { get; set; }

        public FakeAccount? Account { get; set; }

        public bool Used { get; set; }

        public int Polls { get; set; }
    }
}
