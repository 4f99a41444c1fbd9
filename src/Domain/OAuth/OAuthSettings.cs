namespace CliProxy.Domain.OAuth;

/// <summary>
/// Settings of the logins (.NET configuration section <c>OAuth</c>): each provider's endpoints and
/// the session timings. Immutable; read once at start.
/// </summary>
public sealed record OAuthSettings
{
    /// <summary><c>OAuth:CallbackWaitSeconds</c> (default 300): how long a redirect login waits for its callback; then the session records the provider's timeout error.</summary>
    public TimeSpan CallbackWait { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// <c>OAuth:SessionTtlSeconds</c> (default 600): how long a session is kept at all — pending at most
    /// this long from its start, and a finished one (error or success) this long after it finished, so a
    /// status poll that comes late still gets the true answer; after it the state is unknown.
    /// </summary>
    public TimeSpan SessionTtl { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary><c>OAuth:PollIntervalSeconds</c> (default 5): the least interval between device-code polls.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary><c>OAuth:RequestTimeoutSeconds</c> (default 30): the limit of each upstream request.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// <c>OAuth:CompletionTimeoutSeconds</c> (default 120): the limit of finishing a login after its callback
    /// (token exchange, user info, project onboarding, saving); past it the session records an error.
    /// </summary>
    public TimeSpan CompletionTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// <c>OAuth:ForwarderBindAddress</c> (default <c>127.0.0.1</c>): the address the web-UI callback
    /// forwarders listen on (<c>0.0.0.0</c> in a container, so the published provider port reaches it).
    /// Each forwarder listens on the port of its provider's <see cref="OAuthEndpoints.RedirectUri"/>.
    /// </summary>
    public string ForwarderBindAddress { get; init; } = "127.0.0.1";

    /// <summary>
    /// <c>OAuth:ForwarderIdleSeconds</c> (default 10): how often a gateway checks its web-UI callback
    /// forwarders; one whose provider has no pending login left is stopped at the next check.
    /// </summary>
    public TimeSpan ForwarderIdle { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Endpoints per session provider (<see cref="OAuthProviders.All"/>); defaults where not configured.</summary>
    public IReadOnlyDictionary<string, OAuthEndpoints> Providers { get; init; } =
        OAuthProviders.All.ToDictionary(p => p, OAuthDefaults.For);

    /// <summary>The endpoints of <paramref name="provider"/>; empty for a provider without settings (a flow that brings its own).</summary>
    public OAuthEndpoints For(string provider) => Providers.TryGetValue(provider, out var e) ? e : new OAuthEndpoints();

    /// <summary>
    /// Reads the settings through <paramref name="value"/> (a configuration lookup by key such as
    /// <c>OAuth:Providers:codex:TokenUrl</c>); missing or empty values keep their defaults, and a
    /// timing that is not a positive number of seconds is refused.
    /// </summary>
    /// <exception cref="FormatException">A timing is not a positive number.</exception>
    public static OAuthSettings Read(Func<string, string?> value)
    {
        var defaults = new OAuthSettings();
        TimeSpan Seconds(string key, TimeSpan fallback)
        {
            var text = value("OAuth:" + key)?.Trim();
            if (string.IsNullOrEmpty(text)) return fallback;
            if (!double.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var s) || !(s > 0))
                throw new FormatException($"OAuth:{key} must be a positive number of seconds, not '{text}'");
            return TimeSpan.FromSeconds(s);
        }
        return new OAuthSettings
        {
            CallbackWait = Seconds("CallbackWaitSeconds", defaults.CallbackWait),
            SessionTtl = Seconds("SessionTtlSeconds", defaults.SessionTtl),
            PollInterval = Seconds("PollIntervalSeconds", defaults.PollInterval),
            RequestTimeout = Seconds("RequestTimeoutSeconds", defaults.RequestTimeout),
            CompletionTimeout = Seconds("CompletionTimeoutSeconds", defaults.CompletionTimeout),
            ForwarderIdle = Seconds("ForwarderIdleSeconds", defaults.ForwarderIdle),
            ForwarderBindAddress = value("OAuth:ForwarderBindAddress")?.Trim() is { Length: > 0 } bind ? bind : defaults.ForwarderBindAddress,
            Providers = OAuthProviders.All.ToDictionary(p => p, p =>
                OAuthDefaults.For(p).Override(name => value($"OAuth:Providers:{OAuthProviders.SettingsKey(p)}:{name}"))),
        };
    }
}
