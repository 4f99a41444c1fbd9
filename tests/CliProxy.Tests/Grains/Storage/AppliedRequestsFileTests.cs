using CliProxy.Abstractions.Config;
using CliProxy.Abstractions.Idempotency;
using CliProxy.Grains.Storage;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Grains.Storage;

/// <summary>
/// Embedded mode: the config grain's applied Idempotency-Keys live in a file of the data folder, written
/// ahead of config.yaml. A process that dies between the two writes must not leave a key whose change
/// is not in config.yaml (its retry would be answered 200 and the change lost).
/// </summary>
[Unit]
public sealed class AppliedRequestsFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private bool _configWritesFail;

    private string ConfigPath => _dir.File("config.yaml");

    private string RequestsPath => _dir.File("data/config-requests.json");

    /// <summary>A storage as a freshly started process has it; config.yaml writes fail while <see cref="_configWritesFail"/> (the process "dies" there).</summary>
    private ConfigFileStorage NewStorage() => new(ConfigPath, new AtomicFileWriter((from, to) =>
    {
        if (_configWritesFail && to == ConfigPath) throw new UnauthorizedAccessException("killed before the config write");
        File.Move(from, to, overwrite: true);
    }), RequestsPath);

    private static AppliedRequest Record(string key) => new() { Key = key, Fingerprint = "f-" + key, ExpiresAt = long.MaxValue };

    private static async Task<GrainState<ConfigDocumentState>> ReadAsync(ConfigFileStorage storage)
    {
        var state = new GrainState<ConfigDocumentState>();
        await storage.ReadStateAsync("config-document", GrainId.Create("config", "default"), state);
        return state;
    }

    private static async Task WriteAsync(ConfigFileStorage storage, GrainState<ConfigDocumentState> state, string yaml, params AppliedRequest[] requests)
    {
        state.State = new ConfigDocumentState { Yaml = yaml, AppliedRequests = requests.ToList() };
        await storage.WriteStateAsync("config-document", GrainId.Create("config", "default"), state);
    }

    public AppliedRequestsFileTests() => File.WriteAllText(ConfigPath, "debug: false\n");

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task Keys_written_with_their_change_are_read_back_after_a_restart()
    {
        var storage = NewStorage();
        await WriteAsync(storage, await ReadAsync(storage), "debug: true\n", Record("a"));

        var restarted = await ReadAsync(NewStorage());
        Assert.Equal("debug: true\n", restarted.State!.Yaml);
        Assert.Equal(["a"], restarted.State!.AppliedRequests.Select(r => r.Key));
    }

    [Fact]
    public async Task Keys_the_gateway_assigned_stay_out_of_the_file_and_add_no_file_write()
    {
        var storage = NewStorage();
        var state = await ReadAsync(storage);
        await WriteAsync(storage, state, "debug: true\n", Record("a"));
        var written = File.GetLastWriteTimeUtc(RequestsPath);
        File.SetLastWriteTimeUtc(RequestsPath, written - TimeSpan.FromHours(1));

        await WriteAsync(storage, state, "debug: true\nrequest-retry: 2\n", Record("a"), new AppliedRequest { Key = "assigned", Fingerprint = "assigned", ExpiresAt = long.MaxValue, Assigned = true });

        Assert.Equal(written - TimeSpan.FromHours(1), File.GetLastWriteTimeUtc(RequestsPath));
        var restarted = await ReadAsync(NewStorage());
        Assert.Equal("debug: true\nrequest-retry: 2\n", restarted.State!.Yaml);
        Assert.Equal(["a"], restarted.State!.AppliedRequests.Select(r => r.Key));
    }

    [Fact]
    public async Task A_key_whose_config_write_never_happened_is_dropped_on_the_next_read()
    {
        var storage = NewStorage();
        var state = await ReadAsync(storage);
        await WriteAsync(storage, state, "debug: true\n", Record("a"));
        _configWritesFail = true;
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WriteAsync(storage, state, "debug: false\nrequest-retry: 2\n", Record("a"), Record("b")));
        _configWritesFail = false;

        var restarted = await ReadAsync(NewStorage());
        Assert.Equal("debug: true\n", restarted.State!.Yaml);
        Assert.Equal(["a"], restarted.State!.AppliedRequests.Select(r => r.Key));
    }

    [Fact]
    public async Task After_a_failed_keyed_write_a_write_without_keys_does_not_revive_the_failed_key()
    {
        var storage = NewStorage();
        var state = await ReadAsync(storage);
        _configWritesFail = true;
        await Assert.ThrowsAsync<UnauthorizedAccessException>(() => WriteAsync(storage, state, "debug: true\n", Record("lost")));
        _configWritesFail = false;
        // The grain keeps its previous records after a failed write and goes on with another change.
        await WriteAsync(storage, state, "request-retry: 5\n");

        var restarted = await ReadAsync(NewStorage());
        Assert.Equal("request-retry: 5\n", restarted.State!.Yaml);
        Assert.Empty(restarted.State!.AppliedRequests);
    }

    [Fact]
    public async Task A_write_without_new_keys_does_not_rewrite_the_keys_file()
    {
        var storage = NewStorage();
        var state = await ReadAsync(storage);
        await WriteAsync(storage, state, "debug: true\n", Record("a"));
        var before = await File.ReadAllTextAsync(RequestsPath);
        await WriteAsync(storage, state, "debug: true\nrequest-retry: 4\n", Record("a"));
        Assert.Equal(before, await File.ReadAllTextAsync(RequestsPath));
        Assert.Equal(["a"], (await ReadAsync(NewStorage())).State!.AppliedRequests.Select(r => r.Key));
    }

    /// <summary>Regression: the config file switched back to its text from before a keyed change made the next read drop that change's key.</summary>
    [Fact]
    public async Task A_setting_switched_back_after_a_keyed_change_keeps_the_key()
    {
        var storage = NewStorage();
        var state = await ReadAsync(storage);
        await WriteAsync(storage, state, "debug: true\n", Record("a"));
        await WriteAsync(storage, state, "debug: false\n", Record("a"));

        var restarted = await ReadAsync(NewStorage());
        Assert.Equal("debug: false\n", restarted.State!.Yaml);
        Assert.Equal(["a"], restarted.State.AppliedRequests.Select(r => r.Key));
    }
}
