using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json.Nodes;
using CliProxy.Domain.OAuth;
using CliProxy.Grains.OAuth.Http;

namespace CliProxy.Grains.OAuth.Flows;

/// <summary>The shared parts of the device-code flows (Qwen, Kimi): the device answer, the data keys, the start's answer fields and one poll request.</summary>
public static class DeviceCode
{
    /// <summary>Data key of the device code.</summary>
    public const string Code = "device_code";

    /// <summary>Data key of the poll interval in seconds.</summary>
    public const string Interval = "interval";

    /// <summary>The start routes' error of a failed device request.</summary>
    public const string StartFailed = "failed to generate authorization url";

    /// <summary>The grant type of device-code polls (RFC 8628).</summary>
    public const string GrantType = "urn:ietf:params:oauth:grant-type:device_code";

    /// <summary>
    /// Reads a device authorization answer; refuses (<see cref="StartFailed"/>) anything but 200 with a
    /// non-empty <c>device_code</c>.
    /// </summary>
    public static (string DeviceCode, string UserCode, string Url, long ExpiresIn, long Interval) Read(UpstreamAnswer answer)
    {
        var json = answer.Json;
        var code = TokenGrant.Text(json, "device_code");
        if (answer.Status != 200 || code.Length == 0) throw new OAuthLoginFailure(StartFailed);
        var url = TokenGrant.Text(json, "verification_uri_complete") is { Length: > 0 } complete ? complete : TokenGrant.Text(json, "verification_uri");
        return (code, TokenGrant.Text(json, "user_code"), url, TokenGrant.Number(json, "expires_in"), TokenGrant.Number(json, "interval"));
    }

    /// <summary>The newer reference's extra start fields: <c>"flow":"device"</c>, <c>user_code</c>, <c>expires_in</c> (seconds).</summary>
    public static ImmutableDictionary<string, string> Fields(string userCode, TimeSpan wait) => ImmutableDictionary<string, string>.Empty
        .Add("flow", "\"device\"")
        .Add("user_code", JsonValue.Create(userCode).ToJsonString())
        .Add("expires_in", ((long)wait.TotalSeconds).ToString(CultureInfo.InvariantCulture));

    /// <summary>The stored interval, or <paramref name="fallback"/>.</summary>
    public static TimeSpan StoredInterval(OAuthFlowContext context, TimeSpan fallback) =>
        context.Data.TryGetValue(Interval, out var text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) && s > 0
            ? TimeSpan.FromSeconds(s)
            : fallback;

    /// <summary>Stores the interval (seconds) for the next polls.</summary>
    public static void StoreInterval(OAuthFlowContext context, TimeSpan interval) =>
        context.Data[Interval] = interval.TotalSeconds.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Sends one poll; a transport failure or a request timeout gives null (the caller polls again),
    /// cancellation of <paramref name="cancellationToken"/> passes through.
    /// </summary>
    public static async Task<UpstreamAnswer?> PollOnce(Func<Task<UpstreamAnswer>> call, CancellationToken cancellationToken)
    {
        try
        {
            return await call();
        }
        catch (HttpRequestException)
        {
            return null;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
