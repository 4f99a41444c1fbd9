using System.Text.Json;

namespace CliProxy.Grains.Storage;

/// <summary>
/// The embedded mode's durable reminder table: every reminder of the silo in one readable JSON file
/// (<c>&lt;data folder&gt;/reminders.json</c>), written atomically. Orleans' in-memory table would lose the
/// reminders (and with them the expiry of login sessions) on every restart. Each operation reads the
/// file and writes it back under an exclusive lock file, so several silos of one process (the tests'
/// clusters) or several processes may share it. The table holds only live reminders (a few per login
/// in progress), so reading it whole is cheap.
/// </summary>
/// <param name="path">The table file.</param>
/// <param name="writer">Writes the file atomically.</param>
public sealed class FileReminderTable(string path, AtomicFileWriter writer) : IReminderTable
{
    /// <summary>How long an operation waits for the lock before it fails.</summary>
    public static readonly TimeSpan LockTimeout = TimeSpan.FromSeconds(10);

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <inheritdoc />
    public async Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        var key = grainId.ToString();
        return Data(await UnderLockAsync(rows => (rows.Where(r => r.GrainId == key).ToList(), false)));
    }

    /// <inheritdoc />
    /// <remarks>The ring range (<paramref name="begin"/>, <paramref name="end"/>] of uniform grain hashes; it wraps when begin ≥ end (equal: all).</remarks>
    public async Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        Data(await UnderLockAsync(rows => (rows.Where(r => InRange(GrainId.Parse(r.GrainId).GetUniformHashCode(), begin, end)).ToList(), false)));

    /// <inheritdoc />
    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        var key = grainId.ToString();
        var found = await UnderLockAsync(rows => (rows.Where(r => r.GrainId == key && r.ReminderName == reminderName).ToList(), false));
        return found.Count == 0 ? null : Entry(found[0]);
    }

    /// <inheritdoc />
    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        var row = new Row(entry.GrainId.ToString(), entry.ReminderName, DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc), (long)entry.Period.TotalMilliseconds,
            Guid.NewGuid().ToString("N"));
        await UnderLockAsync(rows =>
        {
            rows.RemoveAll(r => r.GrainId == row.GrainId && r.ReminderName == row.ReminderName);
            rows.Add(row);
            return (rows, true);
        });
        return row.ETag;
    }

    /// <inheritdoc />
    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        var key = grainId.ToString();
        var removed = false;
        await UnderLockAsync(rows =>
        {
            removed = rows.RemoveAll(r => r.GrainId == key && r.ReminderName == reminderName && r.ETag == eTag) > 0;
            return (rows, removed);
        });
        return removed;
    }

    /// <inheritdoc />
    public Task TestOnlyClearTable() => UnderLockAsync(_ => ([], true));

    /// <summary>Orleans' ring-range test: (begin, end], wrapping around when begin ≥ end.</summary>
    public static bool InRange(uint hash, uint begin, uint end) => begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;

    /// <summary>Runs <paramref name="work"/> on the rows under the lock; writes the rows it returns when it says so.</summary>
    private async Task<List<Row>> UnderLockAsync(Func<List<Row>, (List<Row> Rows, bool Write)> work)
    {
        await using var held = await LockAsync();
        List<Row> rows = [];
        if (File.Exists(path)) rows = JsonSerializer.Deserialize<List<Row>>(await File.ReadAllBytesAsync(path), Json) ?? [];
        var (result, write) = work(rows);
        if (write) await writer.WriteAsync(path, JsonSerializer.SerializeToUtf8Bytes(result, Json));
        return result;
    }

    private async Task<FileStream> LockAsync()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var until = DateTime.UtcNow + LockTimeout;
        while (true)
        {
            try
            {
                return new FileStream(path + ".lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < until)
            {
                await Task.Delay(5);
            }
        }
    }

    private static ReminderTableData Data(List<Row> rows) => new(rows.Select(Entry).ToList());

    private static ReminderEntry Entry(Row r) => new()
    {
        GrainId = GrainId.Parse(r.GrainId),
        ReminderName = r.ReminderName,
        StartAt = r.StartAt,
        Period = TimeSpan.FromMilliseconds(r.PeriodMs),
        ETag = r.ETag,
    };

    /// <summary>One stored reminder.</summary>
    private sealed record Row(string GrainId, string ReminderName, DateTime StartAt, long PeriodMs, string ETag);
}
