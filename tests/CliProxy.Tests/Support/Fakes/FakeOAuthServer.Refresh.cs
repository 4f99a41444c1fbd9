using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using CliProxy.Domain.OAuth;
using Microsoft.AspNetCore.Http;

namespace CliProxy.Tests.Support.Fakes;

/// <summary>
/// The fake's refresh side: every refresh token it issued works once (the provider rotates it, as most
/// do), <see cref="Refreshes"/> counts the refreshes it answered, and <see cref="RefreshGate"/> can hold
/// refreshes to test what happens while one is out.
/// </summary>
public sealed partial class FakeOAuthServer
{
    private readonly ConcurrentDictionary<string, (string Provider, FakeAccount Account)> _refreshTokens = new();
    private int _refreshes;
    private int _refreshRequests;

    /// <summary>Refreshes answered with new tokens.</summary>
    public int Refreshes => Volatile.Read(ref _refreshes);

    /// <summary>Refresh requests received (answered or not yet).</summary>
    public int RefreshRequests => Volatile.Read(ref _refreshRequests);

    /// <summary>When set, refresh requests wait for it before answering.</summary>
    public TaskCompletionSource? RefreshGate { get; set; }

    /// <summary>A refresh token for <paramref name="provider"/> as if a login had issued it to <see cref="Account"/>.</summary>
    public string IssueRefreshToken(string provider)
    {
        var token = $"rt-{provider}-{Guid.NewGuid():N}";
        _refreshTokens[token] = (provider, Account);
        return token;
    }

    private void Remember(string refreshToken, string provider, FakeAccount account) => _refreshTokens[refreshToken] = (provider, account);

    /// <summary>A <c>grant_type=refresh_token</c> request at <c>/&lt;provider&gt;/token</c>.</summary>
    private async Task<IResult> RefreshToken(HttpContext http, string provider, Dictionary<string, string> fields)
    {
        Interlocked.Increment(ref _refreshRequests);
        if (RefreshGate is { } gate) await gate.Task.WaitAsync(http.RequestAborted);
        var defaults = OAuthDefaults.For(provider);
        if (fields.GetValueOrDefault("client_id") != defaults.ClientId) return Refuse("invalid_client");
        if (defaults.ClientSecret.Length > 0 && provider != OAuthProviders.Anthropic && fields.GetValueOrDefault("client_secret") != defaults.ClientSecret)
            return Refuse("invalid_client: secret");
        if (!_refreshTokens.TryRemove(fields.GetValueOrDefault("refresh_token", ""), out var issued) || issued.Provider != provider)
            return Refuse("invalid_grant");
        Interlocked.Increment(ref _refreshes);
        return Json(IssueTokens(provider, issued.Account, $"at-{provider}-{Guid.NewGuid():N}"));
    }
}
