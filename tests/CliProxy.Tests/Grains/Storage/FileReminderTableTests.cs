using CliProxy.Grains.Storage;

namespace CliProxy.Tests.Grains.Storage;

/// <summary>The embedded mode's file reminder table: the contract, durability across instances, and a shared file.</summary>
[Unit]
public sealed class FileReminderTableTests : ReminderTableContract, IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Path => _dir.File("data/reminders.json");

    /// <inheritdoc />
    protected override Task<IReminderTable> TableAsync() => Task.FromResult<IReminderTable>(new FileReminderTable(Path, new AtomicFileWriter()));

    [Fact]
    public async Task Rows_survive_a_new_instance_and_two_instances_on_one_file_lose_no_row()
    {
        var one = new FileReminderTable(Path, new AtomicFileWriter());
        var two = new FileReminderTable(Path, new AtomicFileWriter());
        await Task.WhenAll(Enumerable.Range(0, 40).Select(i => (i % 2 == 0 ? one : two).UpsertRow(new ReminderEntry
        {
            GrainId = Grain("g" + i), ReminderName = "r", StartAt = DateTime.UtcNow, Period = TimeSpan.FromMinutes(1),
        })));
        var fresh = new FileReminderTable(Path, new AtomicFileWriter());
        Assert.Equal(40, (await fresh.ReadRows(0, 0)).Reminders.Count);
        Assert.Equal(AtomicFileWriter.NewFileMode, File.GetUnixFileMode(Path));
    }

    [Theory]
    [InlineData(5u, 1u, 10u, true)]
    [InlineData(10u, 1u, 10u, true)]
    [InlineData(1u, 1u, 10u, false)]
    [InlineData(11u, 1u, 10u, false)]
    [InlineData(0u, 10u, 1u, true)]
    [InlineData(uint.MaxValue, 10u, 1u, true)]
    [InlineData(5u, 10u, 1u, false)]
    [InlineData(123u, 7u, 7u, true)]
    public void Ranges_are_half_open_and_wrap(uint hash, uint begin, uint end, bool inRange) =>
        Assert.Equal(inRange, FileReminderTable.InRange(hash, begin, end));

    /// <inheritdoc />
    public void Dispose() => _dir.Dispose();
}
