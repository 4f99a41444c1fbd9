using System.Collections.Immutable;
using CliProxy.Abstractions.AuthFiles;
using CliProxy.Abstractions.Config;
using CliProxy.Domain.AuthFiles;
using CliProxy.Domain.Config.Settings;
using CliProxy.Domain.Errors;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;

namespace CliProxy.Tests.Domain;

/// <summary>
/// Domain values that grain calls carry as they are (no Orleans in the domain library): the surrogates in
/// <c>CliProxy.Abstractions.Serialization</c> keep every field, and a call within one process hands over the
/// immutable instance instead of a copy.
/// </summary>
[Unit]
public sealed class DomainValueSerializationTests
{
    private static readonly ServiceProvider Services = new ServiceCollection().AddSerializer().BuildServiceProvider();

    private static readonly AuthFileSummary Summary = new("codex-user@example.com.json", "e59d1dab60a10e70", "codex", "user@example.com",
        "user@example.com", "disabled", "disabled via management API", true, 1234, DateTimeOffset.FromUnixTimeSeconds(1_700_000_000),
        DateTimeOffset.FromUnixTimeSeconds(1_700_000_100), null, "team", "socks5://proxy.internal:1080", 7, "a note", "project-1",
        """{"plan_type":"plus"}""", ModelPatterns.Of(["gpt-5*", "o3"]));

    [Fact]
    public void Summaries_keep_every_field_over_the_wire()
    {
        var serializer = Services.GetRequiredService<Serializer>();
        var list = ImmutableArray.Create(Summary, Summary with { Name = "b.json", LastRefresh = DateTimeOffset.UnixEpoch, Priority = null, IdTokenClaims = null, ExcludedModels = ModelPatterns.None });
        Assert.Equal(list.AsEnumerable(), serializer.Deserialize<ImmutableArray<AuthFileSummary>>(serializer.SerializeToArray(list)).AsEnumerable());
    }

    [Fact]
    public void Snapshots_keep_the_management_settings_over_the_wire()
    {
        var serializer = Services.GetRequiredService<Serializer>();
        var snapshot = new ConfigSnapshot(42, "\"etag\"", "debug: true\n", new RemoteManagementSettings(true, "$2a$10$hash", true, "https://example.com/panel"));
        Assert.Equal(snapshot, serializer.Deserialize<ConfigSnapshot>(serializer.SerializeToArray(snapshot)));
    }

    [Fact]
    public void Refusals_keep_their_kind_and_words_over_the_wire()
    {
        var serializer = Services.GetRequiredService<Serializer>();
        foreach (var refusal in new[] { Refusals.AuthFileNotFound, Refusals.DocumentChanged("\"v1\""), Refusals.StorageUnavailable })
        {
            Assert.Equal(new ConfigEditResult(refusal, null), serializer.Deserialize<ConfigEditResult>(serializer.SerializeToArray(ConfigEditResult.Refused(refusal))));
            Assert.Equal(AuthFileResult.Refused(refusal), serializer.Deserialize<AuthFileResult>(serializer.SerializeToArray(AuthFileResult.Refused(refusal))));
        }
        Assert.Equal(AuthFileResult.Stored, serializer.Deserialize<AuthFileResult>(serializer.SerializeToArray(AuthFileResult.Stored)));
    }

    [Fact]
    public void Immutable_domain_values_are_not_copied_within_a_process()
    {
        var copier = Services.GetRequiredService<DeepCopier>();
        Assert.Same(Summary, copier.Copy(Summary));
        var list = ImmutableArray.Create(Summary);
        Assert.Same(Summary, copier.Copy(list)[0]);
        var management = RemoteManagementSettings.Default;
        Assert.Same(management, copier.Copy(management));
        Assert.Same(Refusals.InvalidBody, copier.Copy(Refusals.InvalidBody));
    }
}
