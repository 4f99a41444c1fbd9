using System.Reflection;

namespace CliProxy.Gateway;

/// <summary>
/// Build identity sent in the <c>X-CPA-VERSION</c>, <c>X-CPA-COMMIT</c> and <c>X-CPA-BUILD-DATE</c>
/// headers (spec §3.1; defaults <c>dev</c>, <c>none</c>, <c>unknown</c>). Set at build time with
/// <c>-p:Version=… -p:CommitHash=… -p:BuildDate=…</c>.
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
