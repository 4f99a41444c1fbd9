using System.Collections.Immutable;
using CliProxy.Domain.OAuth;
using CliProxy.Domain.OAuth.Credentials;

namespace CliProxy.Grains.OAuth.Flows;

/// <summary>
/// Gemini CLI: Google authorization code (no PKCE), user info, then project onboarding by mode
/// (start option <c>project_id</c>): empty = the first listed project (<c>auto</c>), a project id,
/// <c>ALL</c> = every listed project, <c>GOOGLE_ONE</c> = let Google pick. Writes
/// <c>gemini-&lt;email&gt;-&lt;project&gt;.json</c>.
/// </summary>
public sealed class GeminiCliFlow : IOAuthRedirectFlow
{
    /// <summary>The scopes requested (and written into the file).</summary>
    public static readonly string[] Scopes =
    [
        "https://www.googleapis.com/auth/cloud-platform",
        "https://www.googleapis.com/auth/userinfo.email",
        "https://www.googleapis.com/auth/userinfo.profile",
    ];

    /// <inheritdoc />
    public string Provider => OAuthProviders.Gemini;

    /// <inheritdoc />
    public string TimeoutMessage => "OAuth flow timed out";

    /// <inheritdoc />
    public string SaveFailedMessage => "Failed to save token to file";

    /// <inheritdoc />
    public Task<OAuthFlowStart> StartAsync(OAuthFlowContext context, ImmutableDictionary<string, string> options, CancellationToken cancellationToken)
    {
        context.Data[FlowData.ProjectId] = options.GetValueOrDefault(FlowData.ProjectId, "").Trim();
        return Task.FromResult(new OAuthFlowStart(GoogleOAuth.AuthorizeUrlFor(context, Scopes)));
    }

    /// <inheritdoc />
    public async Task<LoginCredential> CompleteAsync(OAuthFlowContext context, string code, string error, CancellationToken cancellationToken)
    {
        if (error.Length > 0) throw new OAuthLoginFailure("Authentication failed");
        if (code.Length == 0) throw new OAuthLoginFailure("Authentication failed: code not found");
        var grant = await GoogleOAuth.ExchangeAsync(context, code, cancellationToken);
        var now = context.Time.GetUtcNow();
        var email = await GoogleOAuth.EmailAsync(context, grant.AccessToken, cancellationToken);
        var setup = new GeminiProjectSetup(context, grant.AccessToken);
        var requested = context.Data.TryGetValue(FlowData.ProjectId, out var p) ? p : "";
        var (project, auto) = requested.ToUpperInvariant() switch
        {
            "ALL" => (await AllAsync(setup, cancellationToken), false),
            "GOOGLE_ONE" => (await GoogleOneAsync(setup, cancellationToken), false),
            _ => await DefaultAsync(setup, requested, cancellationToken),
        };
        return GeminiCredential.Build(grant, email, project, auto, context.Endpoints, Scopes, now);
    }

    private static async Task<(string Project, bool Auto)> DefaultAsync(GeminiProjectSetup setup, string requested, CancellationToken cancellationToken)
    {
        var auto = requested.Length == 0;
        string project;
        try
        {
            if (auto) requested = (await setup.ListProjectsAsync(cancellationToken)).FirstOrDefault() ?? "";
            project = await setup.SetupAsync(requested, cancellationToken);
        }
        catch (OAuthLoginFailure e)
        {
            throw new OAuthLoginFailure("Failed to complete Gemini CLI onboarding: " + e.Message, e);
        }
        if (project.Length == 0) throw new OAuthLoginFailure("Failed to resolve project ID");
        await CheckAsync(setup, project, cancellationToken);
        return (project, auto);
    }

    private static async Task<string> AllAsync(GeminiProjectSetup setup, CancellationToken cancellationToken)
    {
        var projects = new List<string>();
        try
        {
            foreach (var listed in (await setup.ListProjectsAsync(cancellationToken)).Distinct(StringComparer.Ordinal))
                projects.Add(await setup.SetupAsync(listed, cancellationToken));
        }
        catch (OAuthLoginFailure e)
        {
            throw new OAuthLoginFailure("Failed to complete Gemini CLI onboarding: " + e.Message, e);
        }
        if (projects.Count == 0) throw new OAuthLoginFailure("Failed to complete Gemini CLI onboarding: no projects");
        foreach (var project in projects) await CheckAsync(setup, project, cancellationToken);
        return string.Join(',', projects);
    }

    private static async Task<string> GoogleOneAsync(GeminiProjectSetup setup, CancellationToken cancellationToken)
    {
        string project;
        try
        {
            project = await setup.SetupAsync("", cancellationToken);
        }
        catch (OAuthLoginFailure e)
        {
            throw new OAuthLoginFailure("Google One auto-discovery failed: " + e.Message, e);
        }
        if (project.Length == 0) throw new OAuthLoginFailure("Google One auto-discovery returned empty project ID");
        await CheckAsync(setup, project, cancellationToken);
        return project;
    }

    private static async Task CheckAsync(GeminiProjectSetup setup, string project, CancellationToken cancellationToken)
    {
        try
        {
            if (!await setup.EnsureApiEnabledAsync(project, cancellationToken)) throw new OAuthLoginFailure("Cloud AI API not enabled");
        }
        catch (OAuthLoginFailure e) when (e.Message != "Cloud AI API not enabled")
        {
            throw new OAuthLoginFailure("Failed to verify Cloud AI API status: " + e.Message, e);
        }
    }
}
