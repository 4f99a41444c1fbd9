using System.Threading.Channels;
using CliProxy.Abstractions.AuthFiles;
using CliProxy.Domain.AuthFiles;
using CliProxy.Gateway.Credentials;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Grains;

/// <summary>
/// The credential index as a versioned feed on a 2-silo cluster: every change moves the version by
/// one and is pushed to subscribers, and a node's <see cref="CredentialIndexMirror"/> follows changes
/// made through either silo with the fields the proxy needs.
/// </summary>
[Grain]
public sealed class AuthFileIndexFeedTests(SiloClusterFixture fixture) : IClassFixture<SiloClusterFixture>
{
    private static readonly TimeSpan Prompt = TimeSpan.FromSeconds(10);

    private IAuthFileGrain File(int silo, string name) => fixture.Silo(silo).GetGrain<IAuthFileGrain>(AuthFileKeys.For(name));

    private IAuthFileIndexGrain Index(int silo) => fixture.Silo(silo).GetGrain<IAuthFileIndexGrain>(AuthFileKeys.Index);

    [Fact]
    public async Task Each_change_moves_the_version_by_one_and_is_pushed_to_subscribers()
    {
        const string name = "feed-claude@example.com.json";
        var observer = new RecordingObserver();
        var reference = fixture.Cluster.Client.CreateObjectReference<IAuthFileIndexObserver>(observer);
        await Index(0).Subscribe(reference);
        try
        {
            var before = await Index(1).GetVersion();
            Assert.Null((await File(0, name).Replace("""{"type":"claude","email":"feed@example.com","priority":3}""")).Refusal);
            var added = await observer.Next(c => c.Upserted.Any(s => s.Name == name));
            Assert.Equal((before, before + 1), (added.From, added.To));
            Assert.Empty(added.Removed);
            var snapshot = await Index(1).GetSnapshot();
            Assert.Equal(added.To, snapshot.Version);
            Assert.Equal(3, snapshot.Files.Single(s => s.Name == name).Priority);

            // The same summary again (the folder watcher's reload of our own write) is no change.
            await Index(1).Upsert(snapshot.Files.Single(s => s.Name == name));
            Assert.Equal(added.To, await Index(0).GetVersion());

            Assert.Null((await File(1, name).Delete()).Refusal);
            var removed = await observer.Next(c => c.Removed.Contains(name));
            Assert.Equal((added.To, added.To + 1), (removed.From, removed.To));
            Assert.DoesNotContain(name, (await Index(0).GetSnapshot()).Files.Select(s => s.Name));
        }
        finally
        {
            await Index(0).Unsubscribe(reference);
            fixture.Cluster.Client.DeleteObjectReference<IAuthFileIndexObserver>(reference);
        }
    }

    [Fact]
    public async Task A_node_mirror_follows_changes_made_through_either_silo()
    {
        const string name = "mirror-codex@example.com.json";
        var mirror = new CredentialIndexMirror(fixture.Cluster.Client, new FakeTimeProvider(), NullLogger<CredentialIndexMirror>.Instance);
        await using (await StartedService.StartAsync(mirror))
        {
            await Poll.UntilAsync(() => Task.FromResult(mirror.Fresh is not null), Prompt, () => "the mirror's first read");

            Assert.Null((await File(0, name).Replace("""
                {"type":"codex","email":"m@example.com","prefix":"team","proxy_url":"socks5://127.0.0.1:1080","priority":"5","excluded_models":["gpt-5*"]}
                """)).Refusal);
            var entry = await Arrived(mirror, name, e => e is not null);
            Assert.Equal(new CredentialEntry(name, AuthIndex.ForFile(name), "codex", "m@example.com", "team", "socks5://127.0.0.1:1080", 5, false,
                ModelPatterns.Of(["gpt-5*"])), entry);
            Assert.Contains(entry, mirror.Fresh!.ForProvider("codex"));
            Assert.Same(entry, mirror.Fresh!.FindByAuthIndex(entry!.AuthIndex));

            Assert.Null((await File(1, name).SetDisabled(true)).Refusal);
            Assert.True((await Arrived(mirror, name, e => e?.Disabled == true))!.Disabled);

            Assert.Null((await File(0, name).Delete()).Refusal);
            await Arrived(mirror, name, e => e is null);
            Assert.Equal(await Index(1).GetVersion(), mirror.Version);
        }
    }

    private static async Task<CredentialEntry?> Arrived(CredentialIndexMirror mirror, string name, Func<CredentialEntry?, bool> condition)
    {
        await Poll.UntilAsync(() => Task.FromResult(mirror.Fresh is { } index && condition(index.Find(name))), Prompt,
            () => $"the push about {name} (mirror at version {mirror.Version})");
        return mirror.Fresh!.Find(name);
    }

    private sealed class RecordingObserver : IAuthFileIndexObserver
    {
        private readonly Channel<AuthFileIndexChange> _changes = Channel.CreateUnbounded<AuthFileIndexChange>();

        public Task OnIndexChanged(AuthFileIndexChange change)
        {
            _changes.Writer.TryWrite(change);
            return Task.CompletedTask;
        }

        /// <summary>The next change that matches <paramref name="match"/> (others, of other tests' credentials, are skipped).</summary>
        public async Task<AuthFileIndexChange> Next(Func<AuthFileIndexChange, bool> match)
        {
            using var timeout = new CancellationTokenSource(Prompt);
            while (true)
            {
                var change = await _changes.Reader.ReadAsync(timeout.Token);
                if (match(change)) return change;
            }
        }
    }
}
