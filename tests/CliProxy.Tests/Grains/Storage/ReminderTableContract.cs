namespace CliProxy.Tests.Grains.Storage;

/// <summary>
/// What Orleans' reminder service needs of a reminder table, run against each table the product uses
/// (the embedded mode's file table and the cluster's PostgreSQL schema through Orleans' own ADO.NET table).
/// </summary>
public abstract class ReminderTableContract
{
    /// <summary>The table under test (fresh for each test).</summary>
    protected abstract Task<IReminderTable> TableAsync();

    /// <summary>A grain id whose uniform hash is away from the ends of the ring, so ranges around it do not overflow.</summary>
    protected static GrainId Grain(string name)
    {
        for (var i = 0; ; i++)
        {
            var id = GrainId.Create("oauthsession", $"oauth:{name}-{i}");
            if (id.GetUniformHashCode() is > 100 and < uint.MaxValue - 100) return id;
        }
    }

    private static ReminderEntry Entry(GrainId grain, string name, DateTime start, TimeSpan period) =>
        new() { GrainId = grain, ReminderName = name, StartAt = start, Period = period };

    [Fact]
    public async Task Upsert_read_and_remove_by_etag()
    {
        var table = await TableAsync();
        var grain = Grain("a");
        var start = new DateTime(2026, 11, 30, 12, 0, 0, 123, DateTimeKind.Utc);
        var first = await table.UpsertRow(Entry(grain, "r", start, TimeSpan.FromMinutes(1)));
        Assert.False(string.IsNullOrEmpty(first));
        var read = (await table.ReadRow(grain, "r"))!;
        Assert.Equal((grain, "r", start, TimeSpan.FromMinutes(1), first), (read.GrainId, read.ReminderName, read.StartAt, read.Period, read.ETag));

        var second = await table.UpsertRow(Entry(grain, "r", start.AddMinutes(5), TimeSpan.FromMinutes(2)));
        Assert.NotEqual(first, second);
        Assert.Equal(start.AddMinutes(5), (await table.ReadRow(grain, "r"))!.StartAt);
        await table.UpsertRow(Entry(grain, "other", start, TimeSpan.FromMinutes(1)));
        Assert.Equal(["other", "r"], (await table.ReadRows(grain)).Reminders.Select(r => r.ReminderName).Order(StringComparer.Ordinal));

        Assert.False(await table.RemoveRow(grain, "r", first!));
        Assert.True(await table.RemoveRow(grain, "r", second!));
        Assert.Null(await table.ReadRow(grain, "r"));
        Assert.Single((await table.ReadRows(grain)).Reminders);
    }

    [Fact]
    public async Task Ring_ranges_select_by_uniform_hash_including_wrapping_ones()
    {
        var table = await TableAsync();
        var grain = Grain("b");
        await table.UpsertRow(Entry(grain, "r", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        var h = grain.GetUniformHashCode();
        bool Has(ReminderTableData data) => data.Reminders.Any(r => r.GrainId == grain);
        Assert.True(Has(await table.ReadRows(h - 1, h)));
        Assert.False(Has(await table.ReadRows(h, h + 1)));
        Assert.True(Has(await table.ReadRows(h + 1, h)));
        Assert.False(Has(await table.ReadRows(h, h - 1)));
        Assert.True(Has(await table.ReadRows(0, 0)));
    }

    [Fact]
    public async Task Clearing_removes_every_row()
    {
        var table = await TableAsync();
        var grain = Grain("c");
        await table.UpsertRow(Entry(grain, "r", DateTime.UtcNow, TimeSpan.FromMinutes(1)));
        await table.TestOnlyClearTable();
        Assert.Empty((await table.ReadRows(grain)).Reminders);
    }
}
