using System.Text.Json.Nodes;
using CliProxy.Grains.OAuth.Http;

namespace CliProxy.Grains.OAuth.Flows;

/// <summary>
/// The Gemini CLI project steps after the token exchange: list projects, onboard one through Cloud
/// Code (<c>loadCodeAssist</c>, <c>onboardUser</c>) and make sure the Cloud AI Companion API is
/// enabled. Every loop is bounded (the reference's final onboarding loop had no limit): at most
/// <see cref="MaxOnboardPolls"/> polls, and the whole login by the session's completion deadline.
/// </summary>
/// <param name="context">The login.</param>
/// <param name="accessToken">The bearer token of the calls.</param>
public sealed class GeminiProjectSetup(OAuthFlowContext context, string accessToken)
{
    /// <summary>Most <c>onboardUser</c> polls of one loop.</summary>
    public const int MaxOnboardPolls = 15;

    private static readonly JsonObject Metadata = new() { ["ideType"] = "IDE_UNSPECIFIED", ["platform"] = "PLATFORM_UNSPECIFIED", ["pluginType"] = "GEMINI" };

    /// <summary>The project ids the account can see (Resource Manager).</summary>
    public async Task<List<string>> ListProjectsAsync(CancellationToken cancellationToken)
    {
        var answer = await FlowSteps.Call("list projects", () => context.Http.GetJsonAsync(context.Endpoints.ResourceManagerUrl, cancellationToken, GoogleOAuth.Bearer(accessToken)), cancellationToken);
        return (answer.Json!["projects"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(p => Domain.OAuth.TokenGrant.Text(p, "projectId")).Where(p => p.Length > 0).ToList();
    }

    /// <summary>
    /// Onboards <paramref name="requested"/> (or lets Google pick when empty) and returns the project to
    /// use; for free users (a <c>gen-lang-client-</c> project, tier FREE or LEGACY) the backend's project
    /// wins over a requested one.
    /// </summary>
    public async Task<string> SetupAsync(string requested, CancellationToken cancellationToken)
    {
        requested = requested.Trim();
        var load = new JsonObject { ["metadata"] = Metadata.DeepClone() };
        if (requested.Length > 0) load["cloudaicompanionProject"] = requested;
        var loaded = await CloudCodeAsync("loadCodeAssist", load, cancellationToken);
        var tier = GoogleOAuth.DefaultTier(loaded);
        var project = requested.Length > 0 ? requested : GoogleOAuth.ProjectOf(loaded["cloudaicompanionProject"]);
        if (project.Length == 0)
        {
            var auto = await OnboardAsync(new JsonObject { ["tierId"] = tier, ["metadata"] = Metadata.DeepClone() }, TimeSpan.FromSeconds(2), cancellationToken);
            project = GoogleOAuth.ProjectOf((auto?["response"] as JsonObject)?["cloudaicompanionProject"]);
            if (project.Length == 0) throw new OAuthLoginFailure("gemini cli: project selection required");
        }
        var done = await OnboardAsync(new JsonObject { ["tierId"] = tier, ["metadata"] = Metadata.DeepClone(), ["cloudaicompanionProject"] = project },
            TimeSpan.FromSeconds(5), cancellationToken) ?? throw new OAuthLoginFailure("gemini cli: onboarding did not finish");
        var answered = GoogleOAuth.ProjectOf((done["response"] as JsonObject)?["cloudaicompanionProject"]);
        if (answered.Length == 0 || answered.Equals(project, StringComparison.OrdinalIgnoreCase)) return project;
        if (requested.Length == 0) return answered;
        var free = project.StartsWith("gen-lang-client-", StringComparison.Ordinal) || tier.Equals("FREE", StringComparison.OrdinalIgnoreCase)
                   || tier.Equals("LEGACY", StringComparison.OrdinalIgnoreCase);
        return free ? answered : project;
    }

    /// <summary>True when the Cloud AI Companion API is enabled for <paramref name="project"/>, enabling it if needed.</summary>
    /// <exception cref="OAuthLoginFailure">The check or the enabling failed.</exception>
    public async Task<bool> EnsureApiEnabledAsync(string project, CancellationToken cancellationToken)
    {
        var service = $"{context.Endpoints.ServiceUsageUrl.TrimEnd('/')}/v1/projects/{Uri.EscapeDataString(project)}/services/cloudaicompanion.googleapis.com";
        var state = await FlowSteps.Call("check api", () => context.Http.GetJsonAsync(service, cancellationToken, GoogleOAuth.Bearer(accessToken)), cancellationToken, _ => true);
        if (state.Status == 200 && Domain.OAuth.TokenGrant.Text(state.Json, "state") == "ENABLED") return true;
        var enable = await FlowSteps.Call("enable api", () => context.Http.PostJsonAsync(service + ":enable", new JsonObject(), cancellationToken, GoogleOAuth.Bearer(accessToken)),
            cancellationToken, _ => true);
        if (enable.Status is 200 or 201) return true;
        if (enable.Status == 400 && enable.Body.Contains("already enabled", StringComparison.OrdinalIgnoreCase)) return true;
        throw new OAuthLoginFailure($"project activation required: upstream answered {enable.Status}");
    }

    /// <summary>Calls <c>onboardUser</c> until it answers <c>done:true</c> (that answer), waiting <paramref name="interval"/> between polls; null after <see cref="MaxOnboardPolls"/> polls.</summary>
    private async Task<JsonObject?> OnboardAsync(JsonObject body, TimeSpan interval, CancellationToken cancellationToken)
    {
        for (var poll = 1; poll <= MaxOnboardPolls; poll++)
        {
            var answer = await CloudCodeAsync("onboardUser", body, cancellationToken);
            if (answer["done"] is JsonValue d && d.TryGetValue<bool>(out var done) && done) return answer;
            if (poll < MaxOnboardPolls) await Task.Delay(interval, context.Time, cancellationToken);
        }
        return null;
    }

    private async Task<JsonObject> CloudCodeAsync(string method, JsonObject body, CancellationToken cancellationToken)
    {
        var url = $"{context.Endpoints.CloudCodeBaseUrl.TrimEnd('/')}/v1internal:{method}";
        var answer = await FlowSteps.Call(method, () => context.Http.PostJsonAsync(url, body, cancellationToken, GoogleOAuth.Bearer(accessToken, h =>
        {
            h.UserAgent.ParseAdd("google-api-nodejs-client/9.15.1");
            h.TryAddWithoutValidation("X-Goog-Api-Client", "gl-node/22.17.0");
            h.TryAddWithoutValidation("Client-Metadata", "ideType=IDE_UNSPECIFIED,platform=PLATFORM_UNSPECIFIED,pluginType=GEMINI");
        })), cancellationToken);
        return answer.Json!;
    }
}
