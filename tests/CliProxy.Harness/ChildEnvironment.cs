using System.Diagnostics;

namespace CliProxy.Harness;

/// <summary>The environment of product processes started by tests.</summary>
public static class ChildEnvironment
{
    /// <summary>Removes the test runner's own product settings (<c>CLIPROXY_*</c>, <c>ASPNETCORE_*</c>, management secrets and paths) from <paramref name="start"/>.</summary>
    public static void Scrub(ProcessStartInfo start)
    {
        foreach (var key in start.Environment.Keys.ToList())
        {
            if (key.StartsWith("CLIPROXY_", StringComparison.OrdinalIgnoreCase) || key.StartsWith("ASPNETCORE_", StringComparison.OrdinalIgnoreCase) ||
                key is "MANAGEMENT_PASSWORD" or "MANAGEMENT_STATIC_PATH" or "DOTNET_URLS")
            {
                start.Environment.Remove(key);
            }
        }
    }
}
