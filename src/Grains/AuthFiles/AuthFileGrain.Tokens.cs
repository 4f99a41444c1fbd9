using CliProxy.Abstractions.AuthFiles;
using CliProxy.Abstractions.Credentials;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Errors;
using CliProxy.Domain.OAuth;
using CliProxy.Domain.OAuth.Refresh;
using Microsoft.Extensions.Logging;

namespace CliProxy.Grains.AuthFiles;

/// <summary>
/// The credential's tokens: this grain is the only refresher of its credential, so a refresh token that
/// works once is never spent twice (the reference refreshed from several places and instances).
/// </summary>
public sealed partial class AuthFileGrain
{
    /// <summary>The refresh in flight, shared by every caller that needs it.</summary>
    private Task<CredentialToken>? _refresh;

    /// <inheritdoc />
    public async Task<CredentialToken> GetAccessToken()
    {
        if (state.State.Json is not { } json) return CredentialToken.NotFound;
        var tokens = TokenRefreshRules.Read(json);
        var now = time.GetUtcNow();
        if (!TokenRefreshRules.NeedsRefresh(tokens, now)) return CredentialToken.Of(tokens.AccessToken);
        if (tokens.RefreshToken == state.State.RejectedRefreshToken) return StillValid(tokens, now) ?? CredentialToken.RefreshFailed;
        var refresh = _refresh ??= RefreshAsync(tokens, TokenGrant.Text(JsonText.ParseObject(json), "proxy_url"));
        try
        {
            return await refresh;
        }
        finally
        {
            if (_refresh == refresh) _refresh = null;
        }
    }

    /// <inheritdoc />
    public Task<AuthFileResult> StoreRefresh(string usedRefreshToken, Dictionary<string, string> values, string? rejection)
    {
        if (state.State.Json is not { } json) return Task.FromResult(AuthFileResult.Refused(Refusals.AuthFileNotFound));
        // A login or upload replaced the tokens while the refresh was out: its tokens win.
        if (TokenRefreshRules.Read(json).RefreshToken != usedRefreshToken) return Task.FromResult(AuthFileResult.Stored);
        if (rejection is not null) return Store(current => current is null ? null : (current, rejection), usedRefreshToken);
        return Store(current => current is null ? null : (JsonText.Edit(current, o =>
        {
            foreach (var (key, value) in values) o[key] = System.Text.Json.Nodes.JsonNode.Parse(value);
        }), state.State.StatusMessage));
    }

    /// <summary>
    /// Asks the provider for new tokens (while other calls of this grain go on) and stores the answer
    /// through <see cref="StoreRefresh"/>, called on this grain so it takes its turn with management changes.
    /// </summary>
    private async Task<CredentialToken> RefreshAsync(CredentialTokenState tokens, string proxyUrl)
    {
        var outcome = await refresher.RefreshAsync(tokens.Provider!, tokens.RefreshToken, proxyUrl, CancellationToken.None);
        var self = this.AsReference<IAuthFileGrain>();
        if (outcome.Grant is { } grant)
        {
            var values = TokenRefreshRules.Apply(state.State.Json ?? "{}", grant, time.GetUtcNow());
            var stored = await self.StoreRefresh(tokens.RefreshToken, values, null);
            if (!stored.IsSuccess)
            {
                LogRefreshNotStored(Name, stored.Refusal!.Error);
                return stored.Refusal == Refusals.AuthFileNotFound ? CredentialToken.NotFound : CredentialToken.RefreshFailed;
            }
            LogRefreshed(Name, tokens.Provider!);
            return CredentialToken.Of(grant.AccessToken);
        }
        LogRefreshFailed(Name, tokens.Provider!, outcome.Error);
        if (outcome.Rejected) await self.StoreRefresh(tokens.RefreshToken, [], "refresh failed: " + outcome.Error);
        return StillValid(tokens, time.GetUtcNow()) ?? CredentialToken.RefreshFailed;
    }

    /// <summary>The stored token while it has not expired yet (a refresh ahead of expiry failed), else null.</summary>
    private static CredentialToken? StillValid(CredentialTokenState tokens, DateTimeOffset now) =>
        tokens.AccessToken.Length > 0 && tokens.ExpiresAt is { } at && at > now ? CredentialToken.Of(tokens.AccessToken) : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Credential {Name}: {Provider} token refreshed")]
    private partial void LogRefreshed(string name, string provider);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credential {Name}: {Provider} token refresh failed: {Error}")]
    private partial void LogRefreshFailed(string name, string provider, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Credential {Name}: refreshed tokens not stored: {Error}")]
    private partial void LogRefreshNotStored(string name, string error);
}
