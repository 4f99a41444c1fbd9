using System.Collections.Concurrent;
using System.Web;
using CliProxy.Domain.OAuth;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CliProxy.Tests.Support.Fakes;

/// <summary>
/// The providers' side of the logins, in process on 127.0.0.1 (plain HTTP): the authorize step is
/// <see cref="Approve"/> (what the user's browser does: sign in, then be redirected with a code bound
/// to the authorize URL's PKCE challenge, client and redirect), and the token, user-info, Cloud Code,
/// Resource Manager, Service Usage and iFlow endpoints answer for <see cref="Account"/>. The token
/// endpoints check the code (single use), the client, the redirect and the PKCE verifier against the
/// challenge. <see cref="Settings"/> points a gateway at it. Device codes: <c>FakeOAuthServer.Device.cs</c>.
/// </summary>
public sealed partial class FakeOAuthServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, IssuedCode> _codes = new();
    private readonly ConcurrentDictionary<string, FakeAccount> _tokens = new();

    private FakeOAuthServer(WebApplication app) => _app = app;

    /// <summary>The server's base URL (<c>http://127.0.0.1:&lt;port&gt;</c>).</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>The account that signs in next (read when a code is issued).</summary>
    public FakeAccount Account { get; set; } = new();

    /// <summary>When set, every token endpoint answers this status with an error body.</summary>
    public int? TokenFailure { get; set; }

    /// <summary>When set, token endpoints wait this long before answering (to test timeouts and cancels).</summary>
    public TimeSpan TokenDelay { get; set; }

    /// <summary>Every request: method, path and query, form or JSON body.</summary>
    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    /// <summary>Starts the server on a free loopback port.</summary>
    public static async Task<FakeOAuthServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var server = new FakeOAuthServer(builder.Build());
        server.MapEndpoints(server._app);
        await server._app.StartAsync();
        server.BaseUrl = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
        return server;
    }

    /// <summary>
    /// The settings (as <c>CLIPROXY_*</c> environment entries) that point every provider's endpoints here;
    /// client ids and secrets keep their defaults, which the fake checks.
    /// </summary>
    public Dictionary<string, string> Settings(Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string>();
        foreach (var provider in OAuthProviders.All)
        {
            var key = OAuthProviders.SettingsKey(provider);
            void Set(string name, string path) => settings[$"CLIPROXY_OAuth__Providers__{key}__{name}"] = BaseUrl + path;
            Set("AuthorizeUrl", $"/{provider}/authorize");
            Set("TokenUrl", $"/{provider}/token");
            Set("UserInfoUrl", provider == OAuthProviders.IFlow ? "/iflow/userinfo" : "/google/userinfo?alt=json");
            Set("DeviceCodeUrl", $"/{provider}/device");
            Set("ApiKeyUrl", "/iflow/apikey");
            Set("CloudCodeBaseUrl", "/cloudcode");
            Set("ResourceManagerUrl", "/resourcemanager/v1/projects");
            Set("ServiceUsageUrl", "/serviceusage");
        }
        foreach (var (k, v) in more ?? []) settings[k] = v;
        return settings;
    }

    /// <summary>
    /// Signs <see cref="Account"/> in at <paramref name="authorizeUrl"/> (an authorize URL a start route
    /// returned) and returns the redirect the provider would send the browser to:
    /// <c>&lt;redirect_uri&gt;?code=…&amp;state=…</c>. The code is bound to the URL's client, redirect and PKCE challenge.
    /// </summary>
    public Uri Approve(string authorizeUrl)
    {
        var url = new Uri(authorizeUrl);
        Assert.StartsWith(BaseUrl + "/", authorizeUrl);
        var query = HttpUtility.ParseQueryString(url.Query);
        var provider = url.AbsolutePath.Split('/', StringSplitOptions.RemoveEmptyEntries)[0];
        var redirect = query["redirect_uri"] ?? query["redirect"] ?? throw new InvalidOperationException("authorize URL without a redirect");
        var code = "code-" + Guid.NewGuid().ToString("N");
        _codes[code] = new IssuedCode(provider, query["client_id"] ?? "", redirect, query["code_challenge"], Account);
        return new Uri($"{redirect}?code={code}&state={Uri.EscapeDataString(query["state"] ?? "")}");
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync() => await _app.DisposeAsync();

    /// <summary>A code issued by <see cref="Approve"/>.</summary>
    private sealed record IssuedCode(string Provider, string ClientId, string RedirectUri, string? Challenge, FakeAccount Account);
}

/// <summary>The account a fake provider signs in.</summary>
/// <param name="Email">E-mail (all providers; "" to leave it out of the answers).</param>
/// <param name="AccountId">Codex's ChatGPT account id.</param>
/// <param name="Plan">Codex's plan type.</param>
/// <param name="Projects">Google projects the account sees.</param>
/// <param name="CompanionProject">The project Cloud Code answers with when none is requested ("" for none).</param>
/// <param name="Phone">iFlow phone.</param>
/// <param name="ApiKey">iFlow API key.</param>
/// <param name="DeviceUserId">The user id in device-code access tokens (Qwen, Kimi; "" for opaque tokens).</param>
public sealed record FakeAccount(
    string Email = "user@example.com",
    string AccountId = "acct_00000000-fake-4000-8000-000000000001",
    string Plan = "plus",
    string[]? Projects = null,
    string CompanionProject = "companion-project",
    string Phone = "",
    string ApiKey = "sk-fake-iflow-key",
    string DeviceUserId = "device-user-1")
{
    /// <summary>The projects (default: one, <c>proj-1</c>).</summary>
    public string[] ProjectList => Projects ?? ["proj-1"];
}

/// <summary>A request the fake received.</summary>
/// <param name="Method">HTTP method.</param>
/// <param name="PathAndQuery">Path and query.</param>
/// <param name="Fields">Form fields or top-level JSON string fields.</param>
/// <param name="Authorization">The Authorization header ("" when absent).</param>
/// <param name="Headers">Every request header.</param>
public sealed record FakeRequest(string Method, string PathAndQuery, IReadOnlyDictionary<string, string> Fields, string Authorization,
    IReadOnlyDictionary<string, string>? Headers = null);
