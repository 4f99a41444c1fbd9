using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using CliProxy.Domain.OAuth;
using CliProxy.Grains.OAuth.Http;

namespace CliProxy.Grains.OAuth.Refresh;

/// <summary>The outcome of one refresh request.</summary>
/// <param name="Grant">The new tokens, or null.</param>
/// <param name="Rejected">True when the provider refused the refresh token or the client (400/401): retrying cannot help.</param>
/// <param name="Error">Why there is no grant ("" with one).</param>
public sealed record RefreshOutcome(TokenGrant? Grant, bool Rejected, string Error);

/// <summary>
/// Sends refresh requests (<c>grant_type=refresh_token</c>) to a provider's <see cref="OAuthEndpoints.TokenUrl"/>
/// with its client registration, through the outbound clients (the credential's <c>proxy_url</c>), each
/// bounded by <see cref="OAuthSettings.RequestTimeout"/>. Claude takes JSON; iFlow also wants HTTP Basic
/// client authentication; the others a form with <c>client_id</c> (and <c>client_secret</c> when the
/// provider has one). Stateless: the credential's grain decides when to call and stores the result.
/// </summary>
public sealed class CredentialRefresher(OAuthSettings settings, OAuthHttpClients http)
{
    /// <summary>Refreshes <paramref name="refreshToken"/> at <paramref name="provider"/>'s token endpoint.</summary>
    public async Task<RefreshOutcome> RefreshAsync(string provider, string refreshToken, string proxyUrl, CancellationToken cancellationToken)
    {
        var e = settings.For(provider);
        if (e.TokenUrl.Length == 0) return new(null, false, "no token endpoint");
        var client = http.For(proxyUrl);
        UpstreamAnswer answer;
        try
        {
            if (provider == OAuthProviders.Anthropic)
            {
                answer = await client.PostJsonAsync(e.TokenUrl, new JsonObject
                {
                    ["grant_type"] = "refresh_token",
                    ["refresh_token"] = refreshToken,
                    ["client_id"] = e.ClientId,
                }, cancellationToken);
            }
            else
            {
                var form = new Dictionary<string, string> { ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken, ["client_id"] = e.ClientId };
                if (e.ClientSecret.Length > 0) form["client_secret"] = e.ClientSecret;
                var basic = Convert.ToBase64String(Encoding.UTF8.GetBytes(e.ClientId + ":" + e.ClientSecret));
                answer = await client.PostFormAsync(e.TokenUrl, form, cancellationToken,
                    provider == OAuthProviders.IFlow ? h => h.Authorization = new AuthenticationHeaderValue("Basic", basic) : null);
            }
        }
        catch (HttpRequestException)
        {
            return new(null, false, "request failed");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(null, false, "request timed out");
        }
        if (answer.Status is 400 or 401)
        {
            var error = TokenGrant.Text(answer.Json, "error");
            return new(null, true, $"refresh token rejected ({(error.Length > 0 ? error : answer.Status.ToString(System.Globalization.CultureInfo.InvariantCulture))})");
        }
        if (!answer.IsSuccess || answer.Json is null) return new(null, false, $"token endpoint answered {answer.Status}");
        var grant = TokenGrant.From(answer.Json);
        return grant.AccessToken.Length == 0 ? new(null, false, "no access token in the answer") : new(grant, false, "");
    }
}
