using CliProxy.Domain.Config;
using CliProxy.Domain.Config.Settings;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Domain;

/// <summary>The typed settings of a document version (<see cref="ConfigDocument.Settings"/>).</summary>
public sealed class ConfigSettingsTests
{
    private static readonly ConfigSettings Full = ConfigDocument.Load(TestPaths.Fixture("config/full.yaml")).Settings;

    [Fact]
    public void Scalars_of_the_full_fixture()
    {
        Assert.Equal("127.0.0.1", Full.Host);
        Assert.Equal(8317, Full.Port);
        Assert.Equal(new TlsSettings(false, "", ""), Full.Tls);
        Assert.Equal("./auths", Full.AuthDir);
        Assert.Equal("", Full.ProxyUrl);
        Assert.False(Full.Debug);
        Assert.False(Full.LoggingToFile);
        Assert.Equal(512, Full.LogsMaxTotalSizeMb);
        Assert.Equal(10, Full.ErrorLogsMaxFiles);
        Assert.True(Full.UsageStatisticsEnabled);
        Assert.False(Full.RequestLog);
        Assert.False(Full.ForceModelPrefix);
        Assert.False(Full.PassthroughHeaders);
        Assert.Equal(3, Full.RequestRetry);
        Assert.Equal(TimeSpan.FromSeconds(30), Full.MaxRetryInterval);
        Assert.False(Full.DisableCooling);
        Assert.Equal(TimeSpan.Zero, Full.NonstreamKeepaliveInterval);
        Assert.False(Full.WsAuth);
        Assert.False(Full.CommercialMode);
        Assert.Equal(new QuotaExceededSettings(true, true), Full.QuotaExceeded);
        Assert.Equal(RoutingStrategy.RoundRobin, Full.RoutingStrategy);
        Assert.Equal(new StreamingSettings(TimeSpan.FromSeconds(15), 1), Full.Streaming);
        Assert.Equal(new PprofSettings(false, "127.0.0.1:8316"), Full.Pprof);
        Assert.Equal(new ClaudeHeaderDefaults("claude-cli/2.1.44 (external, sdk-cli)", "0.74.0", "v24.3.0", "600"), Full.ClaudeHeaderDefaults);
    }

    [Fact]
    public void Remote_management_carries_the_hash_of_the_accepted_secret()
    {
        var document = SecretKeyHashing.HashPlaintextSecret(ConfigDocument.Load(TestPaths.Fixture("config/full.yaml")));
        // Read alone (what the config grain publishes with each version) and as part of all settings: the same values.
        var alone = document.RemoteManagement;
        var accepted = document.Settings.RemoteManagement;
        Assert.Equal(alone, accepted);
        Assert.False(accepted.AllowRemote);
        Assert.False(accepted.DisableControlPanel);
        Assert.Equal("https://github.com/router-for-me/Cli-Proxy-API-Management-Center", accepted.PanelGitHubRepository);
        Assert.True(SecretKeyHashing.IsBcryptHash(accepted.SecretKey));
        Assert.True(BCrypt.Net.BCrypt.Verify("mgmt-key-for-tests", accepted.SecretKey));
    }

    [Fact]
    public void Client_keys_are_a_set()
    {
        Assert.Equal(["sk-ci-runner-0003", "sk-team-alpha-0001", "sk-team-beta-0002"], Full.ClientKeys.Order(StringComparer.Ordinal));
        Assert.Contains("sk-team-beta-0002", (IReadOnlySet<string>)Full.ClientKeys);
        Assert.DoesNotContain("SK-TEAM-BETA-0002", (IReadOnlySet<string>)Full.ClientKeys);
    }

    [Fact]
    public void Gemini_keys_with_every_field()
    {
        Assert.Equal(2, Full.GeminiKeys.Length);
        var first = Full.GeminiKeys[0];
        Assert.Equal("AIzaSyFAKE-gemini-key-0001", first.ApiKey);
        Assert.Equal("team", first.Prefix);
        Assert.Equal("https://generativelanguage.googleapis.com", first.BaseUrl);
        Assert.Equal("", first.ProxyUrl);
        Assert.Equal(0, first.Priority);
        Assert.Equal(new Dictionary<string, string> { ["X-Team"] = "alpha" }, first.Headers);
        Assert.Equal([new ModelAlias("gemini-2.5-flash", "gemini-fast")], first.Models.AsEnumerable());
        Assert.Equal(["gemini-2.5-pro", "*-preview"], first.ExcludedModels.AsEnumerable());
        var bare = Full.GeminiKeys[1];
        Assert.Equal("AIzaSyFAKE-gemini-key-0002", bare.ApiKey);
        Assert.Equal(("", "", 0), (bare.Prefix, bare.BaseUrl, bare.Priority));
        Assert.Empty(bare.Headers);
        Assert.Empty(bare.Models);
        Assert.Empty(bare.ExcludedModels);
    }

    [Fact]
    public void Claude_codex_and_vertex_keys()
    {
        Assert.Equal(["sk-ant-api03-FAKE-claude-key-0001", "sk-ant-api03-FAKE-claude-key-0002"], Full.ClaudeKeys.Select(k => k.ApiKey));
        Assert.Null(Full.ClaudeKeys[0].Cloak);
        var eu = Full.ClaudeKeys[1];
        Assert.Equal(("eu", "https://claude-gateway.example.org", "socks5://proxy.internal:1080", 5L), (eu.Prefix, eu.BaseUrl, eu.ProxyUrl, eu.Priority));
        Assert.Equal([new ModelAlias("claude-sonnet-4-5-20250929", "sonnet")], eu.Models.AsEnumerable());
        Assert.Equal(["*haiku*"], eu.ExcludedModels.AsEnumerable());
        Assert.Equal(("auto", false, null), (eu.Cloak!.Mode, eu.Cloak.StrictMode, eu.Cloak.CacheUserId));
        Assert.Equal(["proxy"], eu.Cloak.SensitiveWords.AsEnumerable());

        var codex = Assert.Single(Full.CodexKeys);
        Assert.Equal(("sk-FAKE-codex-key-0001", "https://codex.example.net/v1", false), (codex.ApiKey, codex.BaseUrl, codex.Websockets));
        Assert.Equal([new ModelAlias("gpt-5-codex", "codex-latest")], codex.Models.AsEnumerable());

        var vertex = Assert.Single(Full.VertexKeys);
        Assert.Equal(("vk-FAKE-vertex-0001", "vx", "https://vertex-gateway.example.com/api"), (vertex.ApiKey, vertex.Prefix, vertex.BaseUrl));
        Assert.Equal([new ModelAlias("gemini-2.5-pro", "vertex-pro")], vertex.Models.AsEnumerable());
    }

    [Fact]
    public void Openai_compatible_providers()
    {
        var provider = Assert.Single(Full.OpenAICompatibility);
        Assert.Equal(("openrouter", "or", "https://openrouter.ai/api/v1"), (provider.Name, provider.Prefix, provider.BaseUrl));
        Assert.Equal(new Dictionary<string, string> { ["HTTP-Referer"] = "https://staging.example.com" }, provider.Headers);
        Assert.Equal([new OpenAICompatibilityKey("sk-or-v1-FAKE-0001", "socks5://proxy.internal:1080"), new OpenAICompatibilityKey("sk-or-v1-FAKE-0002", "")],
            provider.ApiKeyEntries.AsEnumerable());
        Assert.Equal([new ModelAlias("moonshotai/kimi-k2:free", "kimi-k2"), new ModelAlias("deepseek/deepseek-chat", "deepseek")], provider.Models.AsEnumerable());
    }

    [Fact]
    public void OAuth_maps_by_channel()
    {
        Assert.Equal(["claude", "gemini-cli"], Full.OAuthExcludedModels.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["gemini-2.5-pro"], Full.OAuthExcludedModels["gemini-cli"].AsEnumerable());
        Assert.Equal(["claude-3-5-haiku-20241022"], Full.OAuthExcludedModels["claude"].AsEnumerable());
        Assert.Equal([new OAuthModelAlias("gpt-5", "g5", false)], Full.OAuthModelAlias["codex"].AsEnumerable());
        Assert.Equal([new OAuthModelAlias("gemini-2.5-pro", "g25p", true)], Full.OAuthModelAlias["gemini-cli"].AsEnumerable());
    }

    [Fact]
    public void Ampcode_and_payload()
    {
        var amp = Full.Ampcode;
        Assert.Equal(("https://ampcode.com", "", true, false), (amp.UpstreamUrl, amp.UpstreamApiKey, amp.RestrictManagementToLocalhost, amp.ForceModelMappings));
        var upstream = Assert.Single(amp.UpstreamApiKeys);
        Assert.Equal("amp-FAKE-team-a", upstream.UpstreamApiKey);
        Assert.Equal(["sk-team-alpha-0001"], upstream.ClientKeys.AsEnumerable());
        Assert.Equal([new AmpModelMapping("claude-opus-4-5-20251101", "sonnet", false), new AmpModelMapping("^gpt-5.*$", "codex-latest", true)],
            amp.ModelMappings.AsEnumerable());

        var rule = Assert.Single(Full.Payload.Default);
        Assert.Equal([new PayloadModel("gemini-*", "gemini")], rule.Models.AsEnumerable());
        Assert.Equal(2048, rule.Params["generationConfig.thinkingConfig.thinkingBudget"].GetInt64());
        var filter = Assert.Single(Full.Payload.Filter);
        Assert.Equal([new PayloadModel("claude-*", "")], filter.Models.AsEnumerable());
        Assert.Equal(["metadata"], filter.Params.AsEnumerable());
        Assert.Empty(Full.Payload.DefaultRaw);
        Assert.Empty(Full.Payload.Override);
        Assert.Empty(Full.Payload.OverrideRaw);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    [InlineData("{}\n")]
    public void An_empty_document_has_the_reference_defaults(string text)
    {
        var settings = ConfigDocument.Load(text).Settings;
        Assert.Equal(("", 0, "", ""), (settings.Host, settings.Port, settings.AuthDir, settings.ProxyUrl));
        Assert.Equal(new TlsSettings(false, "", ""), settings.Tls);
        Assert.Equal(new RemoteManagementSettings(false, "", false, "https://github.com/router-for-me/Cli-Proxy-API-Management-Center"), settings.RemoteManagement);
        Assert.Equal(RemoteManagementSettings.Default, settings.RemoteManagement);
        Assert.Equal(new PprofSettings(false, "127.0.0.1:8316"), settings.Pprof);
        Assert.Equal(10, settings.ErrorLogsMaxFiles);
        Assert.Equal(0, settings.LogsMaxTotalSizeMb);
        Assert.Equal((0L, TimeSpan.Zero), (settings.RequestRetry, settings.MaxRetryInterval));
        Assert.Equal(new StreamingSettings(TimeSpan.Zero, 0), settings.Streaming);
        Assert.Equal(new QuotaExceededSettings(false, false), settings.QuotaExceeded);
        Assert.Equal(RoutingStrategy.RoundRobin, settings.RoutingStrategy);
        Assert.Equal(new ClaudeHeaderDefaults("", "", "", ""), settings.ClaudeHeaderDefaults);
        Assert.False(settings.Debug || settings.LoggingToFile || settings.RequestLog || settings.UsageStatisticsEnabled || settings.ForceModelPrefix
            || settings.PassthroughHeaders || settings.DisableCooling || settings.WsAuth || settings.CommercialMode);
        Assert.Empty(settings.ClientKeys);
        Assert.Empty(settings.GeminiKeys);
        Assert.Empty(settings.CodexKeys);
        Assert.Empty(settings.ClaudeKeys);
        Assert.Empty(settings.OpenAICompatibility);
        Assert.Empty(settings.VertexKeys);
        Assert.Empty(settings.OAuthExcludedModels);
        Assert.Empty(settings.OAuthModelAlias);
        Assert.Equal(("", "", false, false), (settings.Ampcode.UpstreamUrl, settings.Ampcode.UpstreamApiKey,
            settings.Ampcode.RestrictManagementToLocalhost, settings.Ampcode.ForceModelMappings));
        Assert.Empty(settings.Ampcode.UpstreamApiKeys);
        Assert.Empty(settings.Ampcode.ModelMappings);
        Assert.Empty(settings.Payload.Default);
        Assert.Empty(settings.Payload.Filter);
        Assert.Equal(ConfigSettings.Defaults.ErrorLogsMaxFiles, settings.ErrorLogsMaxFiles);
    }

    [Theory]
    [InlineData("routing:\n  strategy: fill-first\n", RoutingStrategy.FillFirst)]
    [InlineData("routing:\n  strategy: ff\n", RoutingStrategy.FillFirst)]
    [InlineData("routing:\n  strategy: rr\n", RoutingStrategy.RoundRobin)]
    [InlineData("routing:\n  strategy: \"\"\n", RoutingStrategy.RoundRobin)]
    public void Routing_strategy_is_an_enum(string yaml, RoutingStrategy expected) =>
        Assert.Equal(expected, ConfigDocument.Load(yaml).Settings.RoutingStrategy);

    [Fact]
    public void A_stored_document_with_an_unknown_strategy_routes_round_robin()
    {
        var stored = ConfigDocument.LoadStored("routing:\n  strategy: random\n", out var violations);
        Assert.NotEmpty(violations);
        Assert.Equal(RoutingStrategy.RoundRobin, stored.Settings.RoutingStrategy);
    }

    [Theory]
    [InlineData("max-retry-interval: -5\n", 0)]
    [InlineData("max-retry-interval: 9223372036854775807\n", -1)]
    public void Durations_out_of_range_are_clamped(string yaml, long expectedSeconds)
    {
        var interval = ConfigDocument.LoadStored(yaml, out _).Settings.MaxRetryInterval;
        Assert.Equal(expectedSeconds < 0 ? TimeSpan.MaxValue : TimeSpan.FromSeconds(expectedSeconds), interval);
    }

    [Fact]
    public void Settings_are_built_once_per_version_and_follow_each_edit()
    {
        var document = ConfigDocument.Load(TestPaths.Fixture("config/full.yaml"));
        Assert.Same(document.Settings, document.Settings);
        var edited = new ConfigWorkingCopy(document);
        edited.Apply([new CliProxy.Domain.Config.Resources.ConfigChange(["request-retry"], System.Text.Json.Nodes.JsonValue.Create(7L))]);
        var next = edited.Render();
        Assert.Equal(7, next.Settings.RequestRetry);
        Assert.Equal(3, document.Settings.RequestRetry);
    }
}
