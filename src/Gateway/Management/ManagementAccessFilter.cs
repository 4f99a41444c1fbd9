using CliProxy.Abstractions.Access;
using CliProxy.Domain.Go;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Management;

/// <summary>
/// Availability check and access control in front of every <c>/v0/management</c> route,
/// with these corrections of the reference: the client address is the socket peer unless a trusted
/// proxy forwarded it; every client, loopback included, is counted and banned (5 failures → 30
/// minutes) through the client's <see cref="IManagementAccessGrain"/> (read through
/// <see cref="ManagementAccessCache"/>), so a ban holds on every node; only a wrong key counts, a
/// request without any key answers <c>401 missing management key</c> and is not counted (a probe without a key must not ban its address);
/// a local password works on its own (at the reference it needed another secret too). Loopback clients keep their privileges: no
/// <c>allow-remote</c> needed, and the local password.
/// </summary>
public sealed class ManagementAccessFilter(
    ConfigSnapshotCache configs,
    ManagementKeyVerifier keys,
    ManagementSecrets secrets,
    ClientAddressResolver addresses,
    ManagementAvailability availability,
    ManagementAccessCache records,
    BuildInfo build,
    TimeProvider time) : IEndpointFilter
{
    /// <inheritdoc />
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var config = await configs.GetAsync();
        if (!availability.IsEnabled(config))
        {
            if (!availability.EverEnabled) return Results.Text(NotFoundHandling.Body, "text/plain", statusCode: StatusCodes.Status404NotFound);
            NotFoundHandling.EmptyNotFound(http);
            return Results.Empty;
        }
        var headers = http.Response.Headers;
        headers["X-CPA-VERSION"] = build.Version;
        headers["X-CPA-COMMIT"] = build.Commit;
        headers["X-CPA-BUILD-DATE"] = build.BuildDate;

        var client = addresses.Resolve(http);
        var local = ClientAddressResolver.IsLocal(client);
        var address = client.ToString();
        var status = await records.GetStatus(address);
        if (status.BannedUntil is { } until)
            return JsonResponses.Error(403, "IP banned due to too many failed attempts. Try again in " + GoDuration.Format(until - time.GetUtcNow()));
        if (!local && !config.AllowRemote && secrets.EnvironmentSecret.Length == 0)
            return JsonResponses.Error(403, "remote management disabled");
        if (config.SecretHash.Length == 0 && secrets.EnvironmentSecret.Length == 0 && !(local && secrets.LocalPassword.Length > 0))
            return JsonResponses.Error(403, "remote management key not set");
        var key = PresentedKeys.Management(http.Request);
        // No key at all is not a guess (a health probe, a panel before login): it never counts towards a ban.
        if (key.Length == 0) return JsonResponses.Error(401, "missing management key");
        if (!keys.Verify(key, config.SecretHash, local))
        {
            await records.RecordFailure(address);
            return JsonResponses.Error(401, "invalid management key");
        }
        if (status.Failures > 0) await records.RecordSuccess(address);
        return await next(context);
    }
}
