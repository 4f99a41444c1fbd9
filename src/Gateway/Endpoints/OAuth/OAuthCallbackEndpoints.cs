using CliProxy.Abstractions.OAuth;
using CliProxy.Domain.Errors;
using CliProxy.Domain.OAuth;
using CliProxy.Gateway.Http;

namespace CliProxy.Gateway.Endpoints.OAuth;

/// <summary>
/// The providers' redirect targets at the server root, without the management key (the random state is
/// the secret): <c>/anthropic/callback</c>, <c>/codex/callback</c>, <c>/google/callback</c>,
/// <c>/iflow/callback</c>, <c>/antigravity/callback</c>. The callback is handed to the session grain,
/// and the page shows the real outcome once the login finished (the reference said "Authentication
/// successful" even for unknown states and provider errors).
/// </summary>
public static class OAuthCallbackEndpoints
{
    /// <summary>How long the page waits for the login to finish before it says the login is still being finished.</summary>
    public static readonly TimeSpan PageWait = TimeSpan.FromSeconds(30);

    /// <summary>The routes and the provider each one names.</summary>
    public static IReadOnlyList<(string Route, string Provider)> Routes { get; } =
    [
        ("/anthropic/callback", OAuthProviders.Anthropic),
        ("/codex/callback", OAuthProviders.Codex),
        ("/google/callback", OAuthProviders.Gemini),
        ("/iflow/callback", OAuthProviders.IFlow),
        ("/antigravity/callback", OAuthProviders.Antigravity),
    ];

    /// <summary>Maps the routes on <paramref name="app"/> (outside the management group).</summary>
    public static WebApplication MapOAuthCallbacks(this WebApplication app)
    {
        foreach (var (route, provider) in Routes)
            app.MapGet(route, (HttpContext http, IGrainFactory grains) => Callback(http, grains, provider)).ExcludeFromDescription();
        return app;
    }

    private static async Task<IResult> Callback(HttpContext http, IGrainFactory grains, string provider)
    {
        var submission = CallbackSubmission.FromQuery(provider, name => http.Request.Query[name].ToString());
        if (submission.Check() is { } invalid) return CallbackPage.Failed(RefusalStatus.Of(RefusalKind.Invalid), invalid);
        var session = grains.GetGrain<IOAuthSessionGrain>(OAuthSessionKeys.For(submission.State));
        var refusal = await session.SubmitCallback(new OAuthCallback(provider, submission.Code, submission.Error));
        if (refusal != OAuthRefusal.None)
        {
            var refused = OAuthAnswers.Of(refusal);
            return CallbackPage.Failed(RefusalStatus.Of(refused.Kind), refused.Error);
        }
        var outcome = await session.WaitForOutcome(PageWait);
        return outcome.Phase switch
        {
            OAuthPhase.Completed => CallbackPage.Succeeded(),
            OAuthPhase.Pending => CallbackPage.StillWorking(),
            OAuthPhase.Error => CallbackPage.Failed(StatusCodes.Status200OK, outcome.Message),
            _ => CallbackPage.Failed(StatusCodes.Status200OK, OAuthAnswers.UnknownState),
        };
    }
}
