using System.Runtime.InteropServices;
using CliProxy.Domain.Config.Settings;
using CliProxy.Domain.Proxy;
using CliProxy.Domain.Proxy.Upstreams;
using static CliProxy.Tests.Domain.Proxy.Upstreams.ExecutorTestData;

namespace CliProxy.Tests.Domain.Proxy.Upstreams;

/// <summary>
/// Claude Code's identity headers on every Claude attempt (the reference's <c>applyClaudeHeaders</c>): the client's
/// value first, then <c>claude-header-defaults</c>, then the reference's built-in value; the credential's own
/// <c>headers</c> over all of them.
/// </summary>
[Unit]
public sealed class ClaudeIdentityHeadersTests
{
    private static UpstreamRequest Build(bool oauth, ClaudeHeaderDefaults defaults, (string Name, string Value)[] client, params (string Name, string Value)[] configured) =>
        new ClaudeExecutor(new UpstreamOptions()).Build(
            Credential("claude", UpstreamProtocol.ClaudeMessages, oauth, "", configured) with { Claude = new(defaults, null) }, "secret",
            Call(ClientProtocol.ClaudeMessages, """{"model":"c","max_tokens":1,"messages":[]}""", false, client), "claude-sonnet-4-5");

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_client_that_sends_none_gets_the_references_values(bool oauth)
    {
        var request = Build(oauth, ClaudeHeaderDefaults.None, []);

        Assert.Equal("claude-cli/2.1.44 (external, sdk-cli)", Header(request, "User-Agent"));
        Assert.Equal("cli", Header(request, "X-App"));
        Assert.Equal("true", Header(request, "Anthropic-Dangerous-Direct-Browser-Access"));
        Assert.Equal("0.74.0", Header(request, "X-Stainless-Package-Version"));
        Assert.Equal("v24.3.0", Header(request, "X-Stainless-Runtime-Version"));
        Assert.Equal("600", Header(request, "X-Stainless-Timeout"));
        Assert.Equal(("node", "js", "stream", "0"), (Header(request, "X-Stainless-Runtime"), Header(request, "X-Stainless-Lang"),
            Header(request, "X-Stainless-Helper-Method"), Header(request, "X-Stainless-Retry-Count")));
        Assert.Equal(ClaudeIdentityHeaders.ArchName(RuntimeInformation.OSArchitecture), Header(request, "X-Stainless-Arch"));
        Assert.Equal("Linux", Header(request, "X-Stainless-Os")); // the tests run on Linux (CI and here)
    }

    [Fact]
    public void The_config_defaults_fill_in_what_the_client_did_not_send()
    {
        var request = Build(true, new ClaudeHeaderDefaults("claude-cli/9.9.9 (external, cli)", "0.99.0", "v30.0.0", "900"),
            [("User-Agent", "claude-cli/2.0.1 (external, cli)"), ("X-Stainless-Timeout", "120")]);

        Assert.Equal("claude-cli/2.0.1 (external, cli)", Header(request, "User-Agent"));
        Assert.Equal("120", Header(request, "X-Stainless-Timeout"));
        Assert.Equal("0.99.0", Header(request, "X-Stainless-Package-Version"));
        Assert.Equal("v30.0.0", Header(request, "X-Stainless-Runtime-Version"));
    }

    [Fact]
    public void The_credentials_own_headers_win_and_each_header_is_sent_once()
    {
        var request = Build(false, new ClaudeHeaderDefaults("from-config", "", "", ""), [("user-agent", "from-client"), ("x-app", "ide")],
            ("User-Agent", "from-credential"));

        Assert.Equal("from-credential", Header(request, "User-Agent")); // Header() fails when a name appears twice
        Assert.Equal("ide", Header(request, "X-App"));
    }

    [Theory]
    [InlineData("linux", "Linux")]
    [InlineData("darwin", "MacOS")]
    [InlineData("windows", "Windows")]
    [InlineData("freebsd", "FreeBSD")]
    [InlineData("plan9", "Other::plan9")]
    public void Operating_systems_are_named_as_the_SDK_names_them(string os, string expected) =>
        Assert.Equal(expected, ClaudeIdentityHeaders.OsName(os));

    [Theory]
    [InlineData(Architecture.X64, "x64")]
    [InlineData(Architecture.Arm64, "arm64")]
    [InlineData(Architecture.X86, "x86")]
    [InlineData(Architecture.S390x, "other::s390x")]
    public void Architectures_are_named_as_the_SDK_names_them(Architecture architecture, string expected) =>
        Assert.Equal(expected, ClaudeIdentityHeaders.ArchName(architecture));
}
