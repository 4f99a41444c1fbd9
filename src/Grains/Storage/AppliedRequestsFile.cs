using System.Text.Json;
using CliProxy.Abstractions.Idempotency;

namespace CliProxy.Grains.Storage;

/// <summary>
/// Embedded mode: the config grain's <see cref="AppliedRequest"/> records, kept beside the config file
/// in a JSON file of the data folder, because the config file is the user's and stays as they wrote
/// it. The file and config.yaml cannot be replaced in one step, so the records are written
/// <em>first</em>, together with the config file's ETag before and after the write and the keys the
/// write adds. A read that finds the config file still at the "before" ETag knows the config write
/// never happened (the process died in between) and drops the added keys; otherwise the keys stand.
/// A write that changes no record does not touch the file, unless it brings config.yaml back to exactly
/// the recorded "before" text (a setting switched back): then the file is written again, so that a later
/// read does not take the applied keys for unapplied ones. Keys the gateway assigned
/// (<see cref="AppliedRequest.Assigned"/>) are not written: they serve resends within the life of the
/// process, so this object keeps them in memory and every read returns them with the file's (writing them would add a
/// file write to every edit).
/// </summary>
/// <param name="path">The file, e.g. <c>&lt;data folder&gt;/config-requests.json</c>.</param>
/// <param name="writer">Atomic file replacement.</param>
public sealed class AppliedRequestsFile(string path, AtomicFileWriter writer)
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    // The records in the file as last read or written (so an unchanged list is not written again), and
    // the records known to hold (read, or written ahead of a config write that succeeded).
    private List<AppliedRequest> _file = [];
    private string _fileBefore = "";
    private List<AppliedRequest> _committed = [];

    /// <summary>The records that hold for a config file whose ETag is <paramref name="configETag"/>.</summary>
    public async Task<List<AppliedRequest>> ReadAsync(string configETag)
    {
        var text = await StateFiles.ReadAsync(path);
        var file = text is null ? null : JsonSerializer.Deserialize<Contents>(text, Json);
        if (file is null)
        {
            _file = [];
            return _committed = WithHeld([]);
        }
        _file = file.Requests;
        _fileBefore = file.Before;
        var requests = file.Requests;
        if (configETag == file.Before && file.Before != file.After)
        {
            var added = file.Added.ToHashSet(StringComparer.Ordinal);
            requests = requests.Where(r => !added.Contains(r.Key)).ToList();
        }
        return _committed = WithHeld(requests);
    }

    /// <summary>
    /// <paramref name="read"/> plus the assigned records of the last committed write that it lacks: those are never in the file,
    /// and a read that forgot them (every reload of the config grain reads again) let a resend after a lost answer apply twice.
    /// </summary>
    private List<AppliedRequest> WithHeld(List<AppliedRequest> read)
    {
        var known = read.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var held = _committed.Where(r => r.Assigned && !known.Contains(r.Key)).ToList();
        return held.Count == 0 ? read : [.. read, .. held];
    }

    /// <summary>
    /// Stores <paramref name="requests"/> ahead of a config write from <paramref name="beforeETag"/> to
    /// <paramref name="afterETag"/>; does nothing when the file already holds them. Call
    /// <see cref="Committed"/> once the config write succeeded.
    /// </summary>
    public async Task WriteAsync(List<AppliedRequest> requests, string beforeETag, string afterETag)
    {
        requests = requests.Where(r => !r.Assigned).ToList();
        if (afterETag != _fileBefore && requests.Count == _file.Count && requests.Zip(_file).All(p => p.First.Key == p.Second.Key)) return;
        var known = _committed.Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var contents = new Contents
        {
            Before = beforeETag,
            After = afterETag,
            Added = requests.Select(r => r.Key).Where(k => !known.Contains(k)).ToList(),
            Requests = requests,
        };
        await writer.WriteAsync(path, JsonSerializer.SerializeToUtf8Bytes(contents, Json));
        _file = requests;
        _fileBefore = beforeETag;
    }

    /// <summary>The config write that followed <see cref="WriteAsync"/> succeeded: <paramref name="requests"/> hold.</summary>
    public void Committed(List<AppliedRequest> requests) => _committed = requests;

    private sealed class Contents
    {
        public string Before { get; set; } = "";
        public string After { get; set; } = "";
        public List<string> Added { get; set; } = [];
        public List<AppliedRequest> Requests { get; set; } = [];
    }
}
