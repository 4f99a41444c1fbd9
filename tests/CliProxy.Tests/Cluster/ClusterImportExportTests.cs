using System.Text.RegularExpressions;
using CliProxy.Tests.Cluster.Harness;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Cluster;

/// <summary>
/// (g) <c>CliProxy.Silo.dll import</c> then <c>CliProxy.Silo.dll export</c> against a running one-silo cluster on a fresh
/// database: the exported config.yaml is the imported one except the secret-key line (now its bcrypt
/// hash), and every credential file comes back byte for byte under the same name.
/// </summary>
[Collection(PostgresCollection.Name)]
[Cluster]
public sealed partial class ClusterImportExportTests(PostgresServer postgres) : IAsyncLifetime
{
    private const string Secret = "mgmt-key-for-tests";
    private ClusterHarness _harness = null!;

    /// <inheritdoc />
    public async Task InitializeAsync() => _harness = await ClusterHarness.CreateAsync(postgres);

    /// <inheritdoc />
    public async Task DisposeAsync() => await _harness.DisposeAsync();

    [Fact]
    public async Task Import_then_export_round_trips_the_config_and_every_credential()
    {
        var silo = _harness.StartSiloAsync();

        // The fixture installation: full.yaml and its auth-dir ("./auths") holding each credential
        // fixture under the file name the reference would give it.
        var source = Path.Combine(_harness.Directory, "installation");
        var auths = Path.Combine(source, "auths");
        Directory.CreateDirectory(auths);
        var configPath = Path.Combine(source, "config.yaml");
        File.Copy(Path.Combine(TestPaths.Fixtures, "config", "full.yaml"), configPath);
        var credentials = CredentialFixtureNames();
        Assert.True(credentials.Count >= 9, $"expected the 9 credential fixtures of auth-files/README.md, found {credentials.Count}");
        foreach (var (fixture, name) in credentials) File.Copy(Path.Combine(TestPaths.Fixtures, "auth-files", fixture), Path.Combine(auths, name));
        await silo;

        var import = await _harness.RunSiloCommandAsync(["import", "--config", configPath]);
        Assert.True(import.ExitCode == 0, $"import exited with {import.ExitCode}\n{_harness.Describe()}");
        var target = Path.Combine(_harness.Directory, "exported");
        var export = await _harness.RunSiloCommandAsync(["export", "--out", target]);
        Assert.True(export.ExitCode == 0, $"export exited with {export.ExitCode}\n{_harness.Describe()}");

        // config.yaml: identical but for the secret's scalar, which is now its bcrypt hash.
        var original = (await File.ReadAllTextAsync(configPath)).Split('\n');
        var exported = (await File.ReadAllTextAsync(Path.Combine(target, "config.yaml"))).Split('\n');
        Assert.Equal(original.Length, exported.Length);
        var secretLine = Array.FindIndex(original, l => l.TrimStart().StartsWith("secret-key:", StringComparison.Ordinal));
        Assert.True(secretLine >= 0, "full.yaml has a secret-key line");
        for (var i = 0; i < original.Length; i++)
        {
            if (i != secretLine) Assert.True(original[i] == exported[i], $"line {i + 1} differs:\n- {original[i]}\n+ {exported[i]}");
        }

        var before = SecretLine().Match(original[secretLine]);
        var after = SecretLine().Match(exported[secretLine]);
        Assert.True(after.Success, $"exported secret line: {exported[secretLine]}");
        Assert.Equal(Secret, before.Groups["value"].Value);
        Assert.Equal(before.Groups["lead"].Value, after.Groups["lead"].Value);
        Assert.Equal(before.Groups["tail"].Value, after.Groups["tail"].Value);
        Assert.Matches(@"^\$2[aby]\$10\$[./A-Za-z0-9]{53}$", after.Groups["value"].Value);
        Assert.True(BCrypt.Net.BCrypt.Verify(Secret, after.Groups["value"].Value), "the exported hash is the hash of the imported secret");

        // Credentials: same names under the config's auth-dir, same bytes.
        var exportedAuths = Path.Combine(target, "auths");
        Assert.Equal(credentials.Values.Order(StringComparer.Ordinal), Directory.EnumerateFiles(exportedAuths).Select(Path.GetFileName).Order(StringComparer.Ordinal));
        foreach (var name in credentials.Values)
        {
            var imported = await File.ReadAllBytesAsync(Path.Combine(auths, name));
            var roundTripped = await File.ReadAllBytesAsync(Path.Combine(exportedAuths, name));
            Assert.True(imported.SequenceEqual(roundTripped), $"{name} differs after the round trip");
        }
    }

    /// <summary>
    /// Fixture file → file name the reference would choose, read from the table in
    /// <c>tests/fixtures/auth-files/README.md</c> (rows whose third column names a <c>.json</c> file; the
    /// Vertex import input has none and is not a credential).
    /// </summary>
    private static Dictionary<string, string> CredentialFixtureNames()
    {
        var readme = File.ReadAllText(Path.Combine(TestPaths.Fixtures, "auth-files", "README.md"));
        return Regex.Matches(readme, @"(?m)^\| `(?<fixture>[^`]+\.json)` \| [^|]* \| `(?<name>[^`]+\.json)`")
            .ToDictionary(m => m.Groups["fixture"].Value, m => m.Groups["name"].Value);
    }

    [GeneratedRegex(@"^(?<lead>\s*secret-key:\s*)""?(?<value>[^""\s#]+)""?(?<tail>.*)$")]
    private static partial Regex SecretLine();
}
