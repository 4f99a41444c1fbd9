using System.Collections.Immutable;
using System.Text.Json.Nodes;
using CliProxy.Abstractions.OAuth;
using CliProxy.Domain.OAuth;
using CliProxy.Gateway.ConfigCache;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Logins;

namespace CliProxy.Gateway.Endpoints.OAuth;

/// <summary>
/// The start routes (<c>GET /&lt;provider&gt;-auth-url</c>): a new 128-bit state, one call to its session
/// grain, which registers the session only when every start step succeeded, and
/// <c>{"status":"ok","url":…,"state":…}</c> (plus the flow's extra fields). Outbound calls use the
/// config's <c>proxy-url</c>. With <c>?is_webui=</c> <c>1</c>, <c>true</c>, <c>yes</c> or <c>on</c> a redirect
/// login also gets a callback forwarder on its provider's port (<see cref="CallbackForwarders"/>, spec §5.7);
/// when none can listen the login starts anyway and the answer says so in <c>forwarder_error</c>.
/// </summary>
public static class OAuthStartEndpoints
{
    /// <summary>The start routes and the session provider each one starts; a new flow adds its route here.</summary>
    public static IReadOnlyList<(string Route, string Provider)> Routes { get; } =
    [
        ("/anthropic-auth-url", OAuthProviders.Anthropic),
        ("/codex-auth-url", OAuthProviders.Codex),
        ("/gemini-cli-auth-url", OAuthProviders.Gemini),
        ("/antigravity-auth-url", OAuthProviders.Antigravity),
        ("/iflow-auth-url", OAuthProviders.IFlow),
        ("/qwen-auth-url", OAuthProviders.Qwen),
        ("/kimi-auth-url", OAuthProviders.Kimi),
    ];

    /// <summary>Query parameters passed to the flow as options.</summary>
    private static readonly string[] OptionNames = ["project_id"];

    /// <summary>Adds the start routes to <paramref name="group"/>.</summary>
    public static RouteGroupBuilder MapOAuthStarts(this RouteGroupBuilder group)
    {
        foreach (var (route, provider) in Routes)
            group.MapGet(route, (HttpContext http, IGrainFactory grains, ConfigSnapshotCache configs, CallbackForwarders forwarders) =>
                    Start(http, grains, configs, forwarders, provider))
                .WithSummary($"Start a {provider} login: the URL to open and the state to poll").WithTags("Logins");
        return group;
    }

    /// <summary>True for the values of <c>is_webui</c> that ask for a forwarder (trimmed, any case).</summary>
    public static bool IsWebUi(string? value) => (value ?? "").Trim().ToLowerInvariant() is "1" or "true" or "yes" or "on";

    private static async Task<IResult> Start(HttpContext http, IGrainFactory grains, ConfigSnapshotCache configs, CallbackForwarders forwarders, string provider)
    {
        var options = ImmutableDictionary.CreateBuilder<string, string>(StringComparer.Ordinal);
        foreach (var name in OptionNames)
            if (http.Request.Query[name].ToString() is { Length: > 0 } value) options[name] = value;
        var proxy = (await configs.GetAsync()).Settings.ProxyUrl;
        var state = OAuthState.New();
        var started = await grains.GetGrain<IOAuthSessionGrain>(OAuthSessionKeys.For(state))
            .Start(new OAuthStartRequest(provider, proxy, options.ToImmutable()));
        if (started.Refusal != OAuthRefusal.None) return OAuthAnswers.StartRefused(started, provider);
        var body = new JsonObject { ["status"] = "ok", ["url"] = started.Url, ["state"] = state };
        foreach (var (name, json) in started.Fields) body[name] = JsonNode.Parse(json);
        if (IsWebUi(http.Request.Query["is_webui"]) && CallbackForwarders.Serves(provider))
        {
            var forwarder = await forwarders.OpenAsync(provider, state, http.RequestAborted);
            if (!forwarder.Listening) body["forwarder_error"] = forwarder.Note;
        }
        return JsonResponses.Json(body);
    }
}
