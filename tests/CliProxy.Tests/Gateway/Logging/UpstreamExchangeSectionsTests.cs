using System.Text;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Routing;
using CliProxy.Gateway.Logging;
using CliProxy.Tests.Domain.Proxy.Upstreams;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Gateway.Logging;

/// <summary>The upstream sections of a request log (spec §2.4) for the cases the proxy tests do not reach.</summary>
[Unit]
public sealed class UpstreamExchangeSectionsTests
{
    [Fact]
    public void Auth_lines_name_the_credential_and_mask_an_api_key()
    {
        Assert.Equal("provider=claude, auth_id=claude[0], label=a@example.com, type=oauth",
            UpstreamExchangeLog.AuthOf(ExecutorTestData.Credential("claude", UpstreamProtocol.ClaudeMessages, oauth: true)));
        Assert.Equal("provider=gemini, auth_id=gemini[0], label=gemini-apikey, type=api_key value=sk-u...ream",
            UpstreamExchangeLog.AuthOf(ExecutorTestData.Credential("gemini", UpstreamProtocol.Gemini)));
    }

    [Fact]
    public void An_attempt_that_sent_nothing_shows_only_its_error_and_an_empty_log_shows_nothing()
    {
        var log = new UpstreamExchangeLog(new FakeTimeProvider());
        var text = new StringBuilder();
        UpstreamExchangeSections.Append(text, log);
        Assert.Equal("", text.ToString());

        log.Begin(ExecutorTestData.Credential("claude", UpstreamProtocol.ClaudeMessages, oauth: true))
            .Ended(new UpstreamFailure(401, [], "", null, "credential claude[0] has no usable access token (RefreshFailed)"));
        UpstreamExchangeSections.Append(text, log);
        Assert.Equal("\n=== API ERROR RESPONSE ===\nHTTP Status: 401\ncredential claude[0] has no usable access token (RefreshFailed)\n", text.ToString());
    }
}
