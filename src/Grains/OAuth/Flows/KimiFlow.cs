using System.Collections.Immutable;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using CliProxy.Domain.OAuth;
using CliProxy.Domain.OAuth.Credentials;
using CliProxy.Grains.OAuth.Http;

namespace CliProxy.Grains.OAuth.Flows;

/// <summary>
/// Kimi (spec §5.9.6): a device code requested with the device headers (<c>X-Msh-*</c>, a new device id
/// per login), polled every max(the server's interval, <see cref="OAuthSettings.PollInterval"/>) until the
/// earlier of 15 minutes and the code's life; the first poll comes after one interval. Every failure records
/// <c>Authentication failed</c> (with the cause).
/// </summary>
public sealed class KimiFlow : IOAuthPollingFlow
{
    private const string Failed = "Authentication failed";
    private const string DeviceId = "device_id";
    private static readonly TimeSpan MaxDuration = TimeSpan.FromMinutes(15);

    /// <inheritdoc />
    public string Provider => OAuthProviders.Kimi;

    /// <inheritdoc />
    public string TimeoutMessage => Failed + ": device code expired";

    /// <inheritdoc />
    public string SaveFailedMessage => "Failed to save authentication tokens";

    /// <inheritdoc />
    public async Task<OAuthFlowStart> StartAsync(OAuthFlowContext context, ImmutableDictionary<string, string> options, CancellationToken cancellationToken)
    {
        var deviceId = Guid.NewGuid().ToString();
        var e = context.Endpoints;
        var answer = await context.Http.PostFormAsync(e.DeviceCodeUrl, new Dictionary<string, string> { ["client_id"] = e.ClientId },
            cancellationToken, h => DeviceHeaders(h, deviceId));
        var device = DeviceCode.Read(answer);
        var interval = TimeSpan.FromSeconds(device.Interval) > context.Settings.PollInterval ? TimeSpan.FromSeconds(device.Interval) : context.Settings.PollInterval;
        var wait = device.ExpiresIn > 0 && TimeSpan.FromSeconds(device.ExpiresIn) < MaxDuration ? TimeSpan.FromSeconds(device.ExpiresIn) : MaxDuration;
        context.Data[DeviceId] = deviceId;
        context.Data[DeviceCode.Code] = device.DeviceCode;
        DeviceCode.StoreInterval(context, interval);
        return new OAuthFlowStart(device.Url, wait, interval, DeviceCode.Fields(device.UserCode, wait));
    }

    /// <inheritdoc />
    public async Task<OAuthPoll> PollAsync(OAuthFlowContext context, CancellationToken cancellationToken)
    {
        var e = context.Endpoints;
        var interval = DeviceCode.StoredInterval(context, context.Settings.PollInterval);
        var deviceId = context.Data.TryGetValue(DeviceId, out var id) ? id : "";
        var answer = await DeviceCode.PollOnce(() => context.Http.PostFormAsync(e.TokenUrl, new Dictionary<string, string>
        {
            ["client_id"] = e.ClientId,
            ["device_code"] = context.Data[DeviceCode.Code],
            ["grant_type"] = DeviceCode.GrantType,
        }, cancellationToken, h => DeviceHeaders(h, deviceId)), cancellationToken);
        if (answer is null) return OAuthPoll.Wait(interval);
        // The body is read whatever the status.
        switch (TokenGrant.Text(answer.Json, "error"))
        {
            case "":
                break;
            case "authorization_pending" or "slow_down":
                return OAuthPoll.Wait(interval);
            case "expired_token":
                throw new OAuthLoginFailure(Failed + ": device code expired");
            case "access_denied":
                throw new OAuthLoginFailure(Failed + ": access denied");
            case var other:
                throw new OAuthLoginFailure($"{Failed}: {other}");
        }
        if (answer.Json is null) throw new OAuthLoginFailure($"{Failed}: token endpoint answered {answer.Status}");
        var grant = TokenGrant.From(answer.Json);
        if (grant.AccessToken.Length == 0) throw new OAuthLoginFailure(Failed + ": no access token");
        return OAuthPoll.Done(KimiCredential.Build(grant, deviceId, context.Time.GetUtcNow()));
    }

    /// <summary>The device headers Kimi's API expects.</summary>
    private static void DeviceHeaders(HttpRequestHeaders headers, string deviceId)
    {
        headers.Add("X-Msh-Platform", "cli-proxy-api");
        headers.Add("X-Msh-Version", "1.0.0");
        headers.Add("X-Msh-Device-Name", Environment.MachineName);
        headers.Add("X-Msh-Device-Model", $"{OsName()} {Arch()}");
        headers.Add("X-Msh-Device-Id", deviceId);
    }

    private static string OsName() =>
        OperatingSystem.IsMacOS() ? "macOS" : OperatingSystem.IsWindows() ? "Windows" : OperatingSystem.IsLinux() ? "Linux" : RuntimeInformation.OSDescription;

    private static string Arch() => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "amd64",
        Architecture.Arm64 => "arm64",
        var a => a.ToString().ToLowerInvariant(),
    };
}
