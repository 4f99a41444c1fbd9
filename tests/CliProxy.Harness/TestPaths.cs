namespace CliProxy.Harness;

/// <summary>Locations in the repository (tests read fixtures from tests/fixtures and start the built gateway).</summary>
public static class TestPaths
{
    /// <summary>The repository root (the folder holding Orleans.sln).</summary>
    public static string RepoRoot { get; } = FindRoot();

    /// <summary>tests/fixtures.</summary>
    public static string Fixtures => Path.Combine(RepoRoot, "tests", "fixtures");

    /// <summary>A fixture file's text, e.g. <c>Fixture("config/full.yaml")</c>.</summary>
    public static string Fixture(string relative) => File.ReadAllText(Path.Combine(Fixtures, relative));

    /// <summary>The gateway assembly built in the same configuration as the tests.</summary>
    public static string GatewayDll => Path.Combine(RepoRoot, "src", "Gateway", "bin", Configuration, "net10.0", "CliProxy.Gateway.dll");

    /// <summary>The silo host assembly built in the same configuration as the tests.</summary>
    public static string SiloDll => Path.Combine(RepoRoot, "src", "Silo", "bin", Configuration, "net10.0", "CliProxy.Silo.dll");

#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Orleans.sln"))) return dir.FullName;
        throw new InvalidOperationException("Orleans.sln not found above " + AppContext.BaseDirectory);
    }
}
