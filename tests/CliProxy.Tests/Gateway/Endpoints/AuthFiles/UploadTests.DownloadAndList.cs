namespace CliProxy.Tests.Gateway.Endpoints.AuthFiles;

/// <summary>Reading uploads back: <c>GET /auth-files/download</c> name checks and the order of the list.</summary>
public sealed partial class UploadTests
{
    public static TheoryData<string> InvalidDownloadNames => new()
    {
        "", "   ", "../secret.json", "../../secret.json", "..\\secret.json", "nested/secret.json", "nested\\secret.json",
        "/etc/secret.json", "C:secret.json", "C:\\secret.json", "secret\u0001.json", "..", "a..secret.json",
    };

    [Theory]
    [MemberData(nameof(InvalidDownloadNames))]
    public async Task Download_refuses_unsafe_names(string name)
    {
        Mgmt.AssertError(await G.Call("GET", "/auth-files/download?name=" + Uri.EscapeDataString(name)), 400, "invalid name");
    }

    [Fact]
    public async Task Download_does_not_read_a_file_next_to_the_auth_folder()
    {
        var name = Unique("outside");
        await File.WriteAllTextAsync(Path.Combine(G.Directory, name), AuthKit.Credential("outside@example.com"));
        Mgmt.AssertError(await G.Call("GET", "/auth-files/download?name=" + Uri.EscapeDataString("../" + name)), 400, "invalid name");
        Mgmt.AssertError(await G.Call("GET", "/auth-files/download?name=" + Uri.EscapeDataString(name)), 404, "file not found");
    }

    [Theory]
    [InlineData("notes.txt")]
    [InlineData("creds.json.bak")]
    [InlineData("config.yaml")]
    public async Task Download_requires_a_json_suffix(string name)
    {
        Mgmt.AssertError(await G.Call("GET", "/auth-files/download?name=" + Uri.EscapeDataString(name)), 400, "name must end with .json");
    }

    [Fact]
    public async Task Download_of_a_missing_file_is_404_and_no_name_is_400()
    {
        Mgmt.AssertError(await G.Call("GET", "/auth-files/download?name=" + Unique("missing")), 404, "file not found");
        Mgmt.AssertError(await G.Call("GET", "/auth-files/download"), 400, "invalid name");
    }

    // ------------------------------------------------------------ list order

    [Fact]
    public async Task List_is_sorted_by_name_case_insensitively()
    {
        var m = AuthKit.Marker();
        foreach (var name in new[] { $"Zeta-sort-{m}.json", $"alpha-sort-{m}.json", $"Beta-sort-{m}.json", $"gamma-sort-{m}.json", $"ALPHA2-sort-{m}.json" })
            await G.Upload(name, AuthKit.Credential("sort@example.com"));
        var names = await G.ListNames();
        Assert.Equal(names.Order(StringComparer.OrdinalIgnoreCase).ToList(), names);
        var mine = names.Where(n => n.Contains(m, StringComparison.Ordinal)).ToList();
        Assert.Equal([$"alpha-sort-{m}.json", $"ALPHA2-sort-{m}.json", $"Beta-sort-{m}.json", $"gamma-sort-{m}.json", $"Zeta-sort-{m}.json"], mine);
    }
}
