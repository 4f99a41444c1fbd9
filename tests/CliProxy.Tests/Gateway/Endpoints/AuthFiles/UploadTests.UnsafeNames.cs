using System.Text;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints.AuthFiles;

/// <summary>Upload names that must not escape the auth folder, raw and multipart.</summary>
public sealed partial class UploadTests
{
    /// <summary>Names whose decoded <c>?name=</c> value is unsafe; {0} is replaced by a unique marker.</summary>
    public static TheoryData<string> UnsafeRawNames => new()
    {
        "../{0}.json",
        "../../{0}.json",
        "../../../{0}.json",
        "./../{0}.json",
        "..\\{0}.json",
        "..\\..\\{0}.json",
        "sub/{0}.json",
        "sub\\{0}.json",
        "/tmp/{0}.json",
        "/{0}.json",
        "\\{0}.json",
        "C:{0}.json",
        "C:\\{0}.json",
        "c:/{0}.json",
        "\\\\server\\share\\{0}.json",
        "~/{0}.json",
        "{0}.json/",
        "%2e%2e/{0}.json",
        "..",
        "a..{0}.json",
        "{0}\u0000.json",
        "{0}\n.json",
        "{0}\t.json",
        "{0}\u001b.json",
        "",
        "   ",
    };

    private void AssertNothingOutsideAuthFolder(string marker, HashSet<string> treeBefore)
    {
        var auth = G.AuthDir() + Path.DirectorySeparatorChar;
        var added = AuthKit.Tree(G.Directory).Except(treeBefore).ToList();
        Assert.True(added.All(p => p.StartsWith(auth, StringComparison.Ordinal) && !p[auth.Length..].Contains(Path.DirectorySeparatorChar)),
            $"files written outside the auth folder: {string.Join(", ", added)}");
        foreach (var folder in new[] { Path.GetDirectoryName(G.Directory)!, "/", "/tmp", Environment.CurrentDirectory, TestPaths.RepoRoot, Path.Combine(G.AuthDir(), "sub") })
        {
            var found = AuthKit.EntriesWith(folder, marker);
            Assert.True(found.Count == 0, $"file written outside the auth folder: {string.Join(", ", found)}");
        }
    }

    [Theory]
    [MemberData(nameof(UnsafeRawNames))]
    public async Task Raw_upload_with_an_unsafe_name_is_refused_and_writes_nothing(string pattern)
    {
        var marker = AuthKit.Marker();
        var name = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, marker);
        Directory.CreateDirectory(G.AuthDir());
        var before = AuthKit.Tree(G.Directory);
        var r = await G.UploadRaw(name, AuthKit.Credential("evil@example.com"));
        Mgmt.AssertError(r, 400, "invalid name");
        AssertNothingOutsideAuthFolder(marker, before);
        AuthKit.AssertSameTree(before, G.Directory);
        Assert.DoesNotContain((await G.ListNames()), n => n.Contains(marker, StringComparison.Ordinal));
    }

    /// <summary>Multipart file names whose base name is still unsafe (sent as <c>filename*</c>); {0} is a marker.</summary>
    public static TheoryData<string, string> UnsafeMultipartNames => new()
    {
        { "..\\{0}.json", "invalid name" },
        { "..\\..\\{0}.json", "invalid name" },
        { "sub\\{0}.json", "invalid name" },
        { "C:{0}.json", "invalid name" },
        { "C:\\{0}.json", "invalid name" },
        { "\\\\server\\share\\{0}.json", "invalid name" },
        { "..", "invalid name" },
        { "sub/..", "invalid name" },
        { "a..{0}.json", "invalid name" },
        { "{0}\u0001.json", "invalid name" },
        { "{0}\n.json", "invalid name" },
        { "../{0}.txt", "file must be .json" },
        { "{0}.json.exe", "file must be .json" },
    };

    [Theory]
    [MemberData(nameof(UnsafeMultipartNames))]
    public async Task Multipart_upload_with_an_unsafe_base_name_is_refused_and_writes_nothing(string pattern, string error)
    {
        var marker = AuthKit.Marker();
        var name = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, marker);
        Directory.CreateDirectory(G.AuthDir());
        var before = AuthKit.Tree(G.Directory);
        var r = await G.UploadMultipart(FilePart.Encoded("file", name, AuthKit.Credential("evil@example.com")));
        Mgmt.AssertError(r, 400, error);
        AssertNothingOutsideAuthFolder(marker, before);
        AuthKit.AssertSameTree(before, G.Directory);
    }

    [Theory]
    [InlineData("../{0}.json")]
    [InlineData("../../{0}.json")]
    [InlineData("/tmp/{0}.json")]
    [InlineData("sub/dir/{0}.json")]
    public async Task Multipart_file_name_with_a_path_is_reduced_to_its_base_name_inside_the_auth_folder(string pattern)
    {
        var marker = AuthKit.Marker();
        var name = string.Format(System.Globalization.CultureInfo.InvariantCulture, pattern, marker);
        var baseName = marker + ".json";
        Directory.CreateDirectory(G.AuthDir());
        var before = AuthKit.Tree(G.Directory);
        var bytes = Encoding.UTF8.GetBytes(AuthKit.Credential("base@example.com"));
        Mgmt.AssertOk(await G.UploadMultipart(new FilePart("file", name, bytes)), $"multipart {name}");
        AssertNothingOutsideAuthFolder(marker, before);
        Assert.Equal([G.AuthPath(baseName)], AuthKit.Tree(G.Directory).Except(before).ToList());
        AssertStored(baseName, bytes);
        Assert.NotNull(await G.Entry(baseName));
    }
}
