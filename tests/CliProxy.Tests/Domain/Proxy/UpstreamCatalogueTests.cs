using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Config;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Catalogue;

namespace CliProxy.Tests.Domain.Proxy;

/// <summary>The model registry (spec usage §5.3 step 2): config keys and auth files, aliases, prefixes, exclusions.</summary>
[Unit]
public sealed class UpstreamCatalogueTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);

    private static UpstreamCatalogue Build(string yaml, params (string Name, string Json)[] files) =>
        UpstreamCatalogue.Build(ConfigDocument.Load(yaml).Settings, CredentialIndex.Of(files.Select(f => AuthFileSummaries.Build(f.Name, f.Json, At, At))));

    private const string Compat = """
        openai-compatibility:
          - name: OpenRouter
            base-url: http://127.0.0.1:1/v1
            prefix: team
            api-key-entries:
              - api-key: sk-b
              - api-key: sk-a
                proxy-url: socks5://127.0.0.1:1080
            models:
              - name: upstream-model
                alias: short
              - name: plain
        """;

    [Fact]
    public void An_openai_compatible_provider_lists_aliases_and_prefixed_names_per_key()
    {
        var catalogue = Build(Compat);
        Assert.Equal(["short", "team/short", "plain", "team/plain"], catalogue.Models.Select(m => m.Id));
        var routes = catalogue.RoutesFor("team/short");
        Assert.Equal(["openai-compatibility[openrouter][0]", "openai-compatibility[openrouter][1]"], routes.Select(r => r.Credential.Id));
        Assert.All(routes, r => Assert.Equal("upstream-model", r.UpstreamModel));
        Assert.Equal("openrouter", routes[0].Credential.Provider);
        Assert.Equal(UpstreamProtocol.OpenAIChat, routes[0].Credential.Protocol);
        Assert.Equal("socks5://127.0.0.1:1080", routes[1].Credential.ProxyUrl);
        Assert.Equal(new UpstreamSecret.ApiKey("sk-b"), routes[0].Credential.Secret);
        Assert.Equal(AuthIndex.Of("api_key:sk-b"), routes[0].Credential.AuthIndex);
        Assert.DoesNotContain("sk-b", routes[0].Credential.Source);
        Assert.Empty(catalogue.RoutesFor("upstream-model"));
    }

    [Fact]
    public void Force_model_prefix_hides_the_unprefixed_names_of_prefixed_credentials()
    {
        var catalogue = Build("force-model-prefix: true\n" + Compat);
        Assert.Equal(["team/short", "team/plain"], catalogue.Models.Select(m => m.Id));
    }

    [Fact]
    public void A_claude_key_without_models_serves_the_catalog_minus_its_excluded_models()
    {
        var catalogue = Build("""
            claude-api-key:
              - api-key: ck
                excluded-models: ["*HAIKU*"]
            """);
        var ids = catalogue.Models.Select(m => m.Id).ToList();
        Assert.Contains("claude-sonnet-4-5-20250929", ids);
        Assert.DoesNotContain(ids, id => id.Contains("haiku", StringComparison.Ordinal));
        Assert.Equal("anthropic", catalogue.Models[0].OwnedBy);
        Assert.Equal("claude-api-key[0]", catalogue.RoutesFor("claude-sonnet-4-5-20250929")[0].Credential.Id);
    }

    [Fact]
    public void Auth_files_serve_their_channel_with_oauth_aliases_and_disabled_ones_serve_nothing()
    {
        var catalogue = Build("""
            oauth-model-alias:
              codex:
                - name: gpt-5
                  alias: g5
            """, ("codex-a.json", """{"type":"codex","email":"a@example.com"}"""), ("codex-b.json", """{"type":"codex","disabled":true}"""));
        var route = Assert.Single(catalogue.RoutesFor("g5"));
        Assert.Equal(("codex-a.json", "gpt-5", UpstreamProtocol.OpenAIResponses), (route.Credential.Id, route.UpstreamModel, route.Credential.Protocol));
        Assert.Equal(new UpstreamSecret.AuthFile("codex-a.json"), route.Credential.Secret);
        Assert.Equal("a@example.com", route.Credential.Source);
        Assert.Empty(catalogue.RoutesFor("gpt-5"));
        Assert.DoesNotContain(catalogue.Credentials, c => c.Id == "codex-b.json");
    }

    [Theory]
    [InlineData("", null, null)]
    [InlineData(",\"disable_cooling\":true,\"request_retry\":2", true, 2)]
    [InlineData(",\"disable_cooling\":\"false\",\"request_retry\":\"3\"", false, 3)]
    [InlineData(",\"disable-cooling\":1,\"request-retry\":-4", true, 0)]
    [InlineData(",\"disable_cooling\":0,\"disable-cooling\":true,\"request_retry\":1,\"request-retry\":5", false, 1)]
    [InlineData(",\"disable_cooling\":\"maybe\",\"request_retry\":1.5", null, null)]
    public void Auth_file_cooling_and_retry_overrides_reach_the_credential(string fields, bool? disableCooling, int? requestRetry)
    {
        var catalogue = Build("", ("codex-a.json", "{\"type\":\"codex\"" + fields + "}"));
        var credential = Assert.Single(catalogue.Credentials);
        Assert.Equal((disableCooling, requestRetry), (credential.DisableCooling, credential.RequestRetry));
    }

    [Fact]
    public void Gemini_cli_auth_files_are_listed_with_an_unsupported_protocol()
    {
        var catalogue = Build("", ("g.json", """{"type":"gemini-cli"}"""));
        Assert.All(catalogue.Credentials, c => Assert.Equal(UpstreamProtocol.Unsupported, c.Protocol));
    }
}
