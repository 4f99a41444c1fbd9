using System.Reflection;

namespace CliProxy.Gateway;

/// <summary>
/// Build identity sent in the <c>X-CPA-VERSION</c>, <c>X-CPA-COMMIT</c> and <c>X-CPA-BUILD-DATE</c>
/// headers (as the reference sends them), in <c>GET /healthz</c> and as the OpenAPI document's version: the
/// <c>Version</c> of Directory.Build.props (e.g. <c>0.9.0</c>), the abbreviated commit id (or
/// <c>none</c> outside git) and the build date in RFC 3339, UTC (the commit's date when built from
/// git), stamped by the gateway project's <c>StampBuildInfo</c> target; <c>-p:Version=…
/// -p:CommitHash=… -p:BuildDate=…</c> override them. Unstamped values read as <c>dev</c>,
/// <c>none</c>, <c>unknown</c>.
/// </summary>
public sealed record BuildInfo(string Version, string Commit, string BuildDate)
{
    /// <summary>Reads the values stamped into the gateway assembly.</summary>
    public static BuildInfo FromAssembly()
    {
        var asm = typeof(BuildInfo).Assembly;
        string Meta(string key, string fallback) =>
            asm.GetCustomAttributes<AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == key)?.Value is { Length: > 0 } v ? v : fallback;
        var version = asm.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion?.Split('+')[0];
        return new BuildInfo(version is null or "1.0.0" ? "dev" : version, Meta("CommitHash", "none"), Meta("BuildDate", "unknown"));
    }
}
