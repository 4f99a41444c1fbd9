using System.Text;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints.AuthFiles;

/// <summary>
/// <c>POST /auth-files</c> (spec §4.5 with the batch form and the corrections of defects 11 and 12):
/// raw bodies with <c>?name=</c> and multipart uploads are stored byte-for-byte with mode 0600, an
/// invalid upload never touches a stored file, oversized files are refused, and no name writes
/// outside the auth folder. Each test uses its own file names.
/// The tests are split by form: <c>UploadTests.Raw.cs</c>, <c>.Multipart.cs</c>, <c>.UnsafeNames.cs</c> and
/// <c>.DownloadAndList.cs</c>; they share this class's one gateway and the helpers below.
/// </summary>
[Http]
public sealed partial class UploadTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private const UnixFileMode Mode0600 = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private TestGateway G => fixture.Gateway;

    private static string Unique(string stem) => $"{stem}-{AuthKit.Marker()}.json";

    private void AssertStored(string name, byte[] expected)
    {
        var disk = G.DiskBytes(name);
        Assert.True(disk is not null, $"{name} not written to {G.AuthDir()}");
        Assert.True(expected.AsSpan().SequenceEqual(disk), $"{name} not stored byte-for-byte:\n expected {Encoding.UTF8.GetString(expected)}\n   actual {Encoding.UTF8.GetString(disk!)}");
        Assert.Equal(Mode0600, File.GetUnixFileMode(G.AuthPath(name)));
    }

    private async Task AssertDownload(string name, byte[] expected)
    {
        var r = await G.Send("GET", "/auth-files/download?name=" + Uri.EscapeDataString(name), null);
        Assert.True(r.Status == 200, $"download {name}: {r}");
        Assert.Equal(expected, await r.Response.Content.ReadAsByteArrayAsync());
    }
}
