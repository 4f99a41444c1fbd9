using System.Text;
using CliProxy.Grains.Storage;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Grains.Storage;

[Unit]
public sealed class AtomicFileWriterTests
{
    [Fact]
    public async Task Replaces_by_rename_keeping_the_targets_permissions()
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.yaml");
        await File.WriteAllTextAsync(path, "old");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        await new AtomicFileWriter().WriteAsync(path, Encoding.UTF8.GetBytes("new"));
        Assert.Equal("new", await File.ReadAllTextAsync(path));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, File.GetUnixFileMode(path));
        Assert.Single(Directory.GetFiles(dir.Path));
    }

    [Fact]
    public async Task New_files_are_owner_only_and_folders_are_created()
    {
        using var dir = new TempDirectory();
        var path = Path.Combine(dir.Path, "a", "b", "state.json");
        await new AtomicFileWriter().WriteAsync(path, Encoding.UTF8.GetBytes("{}"));
        Assert.Equal(AtomicFileWriter.NewFileMode, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task When_rename_is_refused_like_on_a_bind_mount_the_file_is_rewritten_in_place()
    {
        using var dir = new TempDirectory();
        var path = dir.File("config.yaml");
        await File.WriteAllTextAsync(path, "a much longer original content that must not leave a tail");
        var moves = 0;
        var writer = new AtomicFileWriter((_, _) =>
        {
            moves++;
            throw new IOException("Device or resource busy");
        });
        await using (var holder = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            await writer.WriteAsync(path, Encoding.UTF8.GetBytes("short"));
            // The same file (inode) now holds the new bytes: a reader holding it open sees them.
            holder.Position = 0;
            using var reader = new StreamReader(holder, leaveOpen: true);
            Assert.Equal("short", await reader.ReadToEndAsync());
        }
        Assert.Equal(1, moves);
        Assert.Equal("short", await File.ReadAllTextAsync(path));
        Assert.Single(Directory.GetFiles(dir.Path)); // the temporary file is gone
    }
}
