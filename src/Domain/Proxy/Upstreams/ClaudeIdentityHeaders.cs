using System.Runtime.InteropServices;
using CliProxy.Domain.Config.Settings;

namespace CliProxy.Domain.Proxy.Upstreams;

/// <summary>
/// The headers that identify a Claude request as Claude Code's (the reference's <c>applyClaudeHeaders</c>): each is the
/// client's own value when it sent one, else <c>claude-header-defaults</c>' value where the config has that key, else the
/// Claude Code 2.1.44 / SDK 0.74.0 value the reference sends. <c>X-Stainless-Os</c> and <c>X-Stainless-Arch</c> name the
/// gateway's own platform, as the SDK names the machine it runs on.
/// </summary>
public static class ClaudeIdentityHeaders
{
    /// <summary>The <c>User-Agent</c> sent when neither the client nor <c>claude-header-defaults.user-agent</c> gives one.</summary>
    public const string UserAgent = "claude-cli/2.1.44 (external, sdk-cli)";

    /// <summary>The <c>X-Stainless-Package-Version</c> default.</summary>
    public const string PackageVersion = "0.74.0";

    /// <summary>The <c>X-Stainless-Runtime-Version</c> default.</summary>
    public const string RuntimeVersion = "v24.3.0";

    /// <summary>The <c>X-Stainless-Timeout</c> default (seconds, as a header value).</summary>
    public const string Timeout = "600";

    private static readonly string CurrentOs = OsName(
        OperatingSystem.IsLinux() ? "linux" : OperatingSystem.IsMacOS() ? "darwin" : OperatingSystem.IsWindows() ? "windows"
        : OperatingSystem.IsFreeBSD() ? "freebsd" : RuntimeInformation.OSDescription.ToLowerInvariant());

    private static readonly string CurrentArch = ArchName(RuntimeInformation.OSArchitecture);

    /// <summary>Each identity header, as <see cref="ClaudeIdentityHeaders"/> describes, in the reference's order.</summary>
    /// <param name="client">The client's request headers (<see cref="ClientCall.Headers"/>).</param>
    /// <param name="defaults">The config's <c>claude-header-defaults</c>; blank values fall back to the built-in ones.</param>
    public static IEnumerable<KeyValuePair<string, string>> Of(IReadOnlyList<KeyValuePair<string, string>> client, ClaudeHeaderDefaults defaults)
    {
        KeyValuePair<string, string> Pick(string name, string fallback) =>
            new(name, UpstreamHeaders.Find(client, name)?.Trim() ?? fallback);
        static string Or(string configured, string builtIn) => string.IsNullOrWhiteSpace(configured) ? builtIn : configured.Trim();

        yield return Pick("Anthropic-Dangerous-Direct-Browser-Access", "true");
        yield return Pick("X-App", "cli");
        yield return Pick("X-Stainless-Helper-Method", "stream");
        yield return Pick("X-Stainless-Retry-Count", "0");
        yield return Pick("X-Stainless-Runtime-Version", Or(defaults.RuntimeVersion, RuntimeVersion));
        yield return Pick("X-Stainless-Package-Version", Or(defaults.PackageVersion, PackageVersion));
        yield return Pick("X-Stainless-Runtime", "node");
        yield return Pick("X-Stainless-Lang", "js");
        yield return Pick("X-Stainless-Arch", CurrentArch);
        yield return Pick("X-Stainless-Os", CurrentOs);
        yield return Pick("X-Stainless-Timeout", Or(defaults.Timeout, Timeout));
        yield return Pick("User-Agent", Or(defaults.UserAgent, UserAgent));
    }

    /// <summary>The SDK's name of an operating system given as Go names it (<c>linux</c>, <c>darwin</c>, …): <c>Linux</c>, <c>MacOS</c>, <c>Windows</c>, <c>FreeBSD</c>, else <c>Other::&lt;name&gt;</c>.</summary>
    public static string OsName(string os) => os switch
    {
        "darwin" => "MacOS",
        "windows" => "Windows",
        "linux" => "Linux",
        "freebsd" => "FreeBSD",
        _ => "Other::" + os,
    };

    /// <summary>The SDK's name of a processor architecture: <c>x64</c>, <c>arm64</c>, <c>x86</c>, else <c>other::&lt;name&gt;</c> (lower-cased).</summary>
    public static string ArchName(Architecture architecture) => architecture switch
    {
        Architecture.X64 => "x64",
        Architecture.Arm64 => "arm64",
        Architecture.X86 => "x86",
        _ => "other::" + architecture.ToString().ToLowerInvariant(),
    };
}
