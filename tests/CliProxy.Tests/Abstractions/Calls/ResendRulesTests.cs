using System.Reflection;
using CliProxy.Abstractions.Access;
using CliProxy.Abstractions.Activity;
using CliProxy.Abstractions.AuthFiles;
using CliProxy.Abstractions.Calls;
using CliProxy.Abstractions.Config;
using CliProxy.Abstractions.Cooldowns;
using CliProxy.Abstractions.Idempotency;
using CliProxy.Abstractions.OAuth;
using CliProxy.Abstractions.Usage;
using CliProxy.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CliProxy.Tests.Abstractions.Calls;

/// <summary>
/// The resend rule each grain method declares — the same calls are sent again as when the gateway's call
/// sites wrapped them by hand — and where <see cref="ResendFilter"/> is registered.
/// </summary>
[Unit]
public sealed class ResendRulesTests
{
    /// <summary>
    /// Every method of the contracts with the rule its calls had before the filter (the gateway's wrappers;
    /// a method no call site wrapped: <see cref="ResendRule.Never"/>, e.g. the mirrors' version polls and reads).
    /// </summary>
    public static TheoryData<Type, string, ResendRule> Rules() => new()
    {
        { typeof(IConfigGrain), nameof(IConfigGrain.GetSnapshot), ResendRule.AfterTransientFailure },
        { typeof(IConfigGrain), nameof(IConfigGrain.GetVersion), ResendRule.Never },
        { typeof(IConfigGrain), nameof(IConfigGrain.Edit), ResendRule.WhenNotDelivered },
        { typeof(IConfigGrain), nameof(IConfigGrain.ReplaceDocument), ResendRule.AfterTransientFailure },
        { typeof(IConfigGrain), nameof(IConfigGrain.Reload), ResendRule.Never },
        { typeof(IConfigGrain), nameof(IConfigGrain.Subscribe), ResendRule.Never },
        { typeof(IConfigGrain), nameof(IConfigGrain.Unsubscribe), ResendRule.Never },
        { typeof(IAuthFileGrain), nameof(IAuthFileGrain.Get), ResendRule.AfterTransientFailure },
        { typeof(IAuthFileGrain), nameof(IAuthFileGrain.Replace), ResendRule.AfterTransientFailure },
        { typeof(IAuthFileGrain), nameof(IAuthFileGrain.Delete), ResendRule.WhenNotDelivered },
        { typeof(IAuthFileGrain), nameof(IAuthFileGrain.SetDisabled), ResendRule.AfterTransientFailure },
        { typeof(IAuthFileGrain), nameof(IAuthFileGrain.PatchFields), ResendRule.AfterTransientFailure },
        { typeof(IAuthFileGrain), nameof(IAuthFileGrain.MergeValues), ResendRule.Never },
        { typeof(IAuthFileGrain), nameof(IAuthFileGrain.StoreLogin), ResendRule.Never },
        { typeof(IAuthFileGrain), nameof(IAuthFileGrain.GetAccessToken), ResendRule.AfterTransientFailure },
        { typeof(IAuthFileGrain), nameof(IAuthFileGrain.StoreRefresh), ResendRule.AfterTransientFailure },
        { typeof(IIFlowCookieLoginGrain), nameof(IIFlowCookieLoginGrain.Login), ResendRule.WhenNotDelivered },
        { typeof(IAuthFileGrain), nameof(IAuthFileGrain.Reload), ResendRule.Never },
        { typeof(ICooldownBoardGrain), nameof(ICooldownBoardGrain.Report), ResendRule.Never },
        { typeof(ICredentialActivityGrain), nameof(ICredentialActivityGrain.Add), ResendRule.AfterTransientFailure }, // counted once per node and sequence
        { typeof(ICredentialActivityGrain), nameof(ICredentialActivityGrain.Read), ResendRule.AfterTransientFailure },
        { typeof(ICooldownBoardGrain), nameof(ICooldownBoardGrain.GetSnapshot), ResendRule.Never },
        { typeof(ICooldownBoardGrain), nameof(ICooldownBoardGrain.GetVersion), ResendRule.Never },
        { typeof(ICooldownBoardGrain), nameof(ICooldownBoardGrain.Subscribe), ResendRule.Never },
        { typeof(ICooldownBoardGrain), nameof(ICooldownBoardGrain.Unsubscribe), ResendRule.Never },
        { typeof(IAuthFileIndexGrain), nameof(IAuthFileIndexGrain.List), ResendRule.AfterTransientFailure },
        { typeof(IAuthFileIndexGrain), nameof(IAuthFileIndexGrain.Find), ResendRule.Never },
        { typeof(IAuthFileIndexGrain), nameof(IAuthFileIndexGrain.GetSnapshot), ResendRule.Never },
        { typeof(IAuthFileIndexGrain), nameof(IAuthFileIndexGrain.GetVersion), ResendRule.Never },
        { typeof(IAuthFileIndexGrain), nameof(IAuthFileIndexGrain.Subscribe), ResendRule.Never },
        { typeof(IAuthFileIndexGrain), nameof(IAuthFileIndexGrain.Unsubscribe), ResendRule.Never },
        { typeof(IAuthFileIndexGrain), nameof(IAuthFileIndexGrain.Upsert), ResendRule.Never },
        { typeof(IAuthFileIndexGrain), nameof(IAuthFileIndexGrain.Remove), ResendRule.Never },
        { typeof(IIdempotencyGrain), nameof(IIdempotencyGrain.Begin), ResendRule.AfterTransientFailure },
        { typeof(IIdempotencyGrain), nameof(IIdempotencyGrain.Complete), ResendRule.AfterTransientFailure },
        { typeof(IIdempotencyGrain), nameof(IIdempotencyGrain.Release), ResendRule.Never },
        { typeof(IOAuthSessionGrain), nameof(IOAuthSessionGrain.Start), ResendRule.WhenNotDelivered },
        { typeof(IOAuthSessionGrain), nameof(IOAuthSessionGrain.GetStatus), ResendRule.AfterTransientFailure },
        { typeof(IOAuthSessionGrain), nameof(IOAuthSessionGrain.SubmitCallback), ResendRule.WhenNotDelivered },
        { typeof(IOAuthSessionGrain), nameof(IOAuthSessionGrain.WaitForOutcome), ResendRule.AfterTransientFailure },
        { typeof(IOAuthSessionGrain), nameof(IOAuthSessionGrain.Cancel), ResendRule.AfterTransientFailure },
        { typeof(IUsageGrain), nameof(IUsageGrain.Record), ResendRule.AfterTransientFailure },
        { typeof(IUsageGrain), nameof(IUsageGrain.Import), ResendRule.AfterTransientFailure },
        { typeof(IUsageGrain), nameof(IUsageGrain.GetSnapshot), ResendRule.AfterTransientFailure },
        { typeof(IUsageGrain), nameof(IUsageGrain.GetDayHours), ResendRule.AfterTransientFailure },
        { typeof(IUsageGrain), nameof(IUsageGrain.Export), ResendRule.Never },
        // On the path of every management request: a graceful stop must fail none (issue 8).
        { typeof(IManagementAccessGrain), nameof(IManagementAccessGrain.GetStatus), ResendRule.AfterTransientFailure },
        { typeof(IManagementAccessGrain), nameof(IManagementAccessGrain.RecordFailure), ResendRule.WhenNotDelivered },
        { typeof(IManagementAccessGrain), nameof(IManagementAccessGrain.RecordSuccess), ResendRule.AfterTransientFailure },
        { typeof(IManagementAccessFeedGrain), nameof(IManagementAccessFeedGrain.Publish), ResendRule.Never },
        { typeof(IManagementAccessFeedGrain), nameof(IManagementAccessFeedGrain.GetVersion), ResendRule.Never },
        { typeof(IManagementAccessFeedGrain), nameof(IManagementAccessFeedGrain.Subscribe), ResendRule.Never },
        { typeof(IManagementAccessFeedGrain), nameof(IManagementAccessFeedGrain.Unsubscribe), ResendRule.Never },
    };

    [Theory]
    [MemberData(nameof(Rules))]
    public void Each_method_declares_the_rule_its_calls_had(Type contract, string method, ResendRule rule) =>
        Assert.Equal(rule, ResendRules.Declared(contract.GetMethod(method)!));

    [Fact]
    public void The_table_covers_every_method_of_every_contract()
    {
        var grainInterfaces = typeof(IConfigGrain).Assembly.GetTypes().Where(t => t.IsInterface && typeof(IGrain).IsAssignableFrom(t));
        var listed = Rules().Select(row => $"{((Type)row[0]).Name}.{row[1]}");
        Assert.Empty(grainInterfaces.SelectMany(t => t.GetMethods().Select(m => $"{t.Name}.{m.Name}")).Except(listed));
    }

    [Theory]
    [InlineData("PUT", false, ResendRule.AfterTransientFailure)]
    [InlineData("PATCH", false, ResendRule.WhenNotDelivered)]
    [InlineData("DELETE", false, ResendRule.WhenNotDelivered)]
    [InlineData("PATCH", true, ResendRule.AfterTransientFailure)]
    [InlineData("DELETE", true, ResendRule.AfterTransientFailure)]
    public void A_config_edit_is_retry_safe_when_it_is_a_put_or_carries_an_idempotency_key(string method, bool keyed, ResendRule rule)
    {
        var request = new ConfigRequest(method, "{}", [], keyed ? new IdempotencyToken("k", "f") : null);
        Assert.Equal(rule, ResendRules.ForCall(ResendRules.Declared(typeof(IConfigGrain).GetMethod(nameof(IConfigGrain.Edit))!), ["/api-keys", request]));
    }

    [Fact]
    public void A_retry_safe_argument_does_not_add_resends_to_a_method_without_a_rule() =>
        Assert.Equal(ResendRule.Never, ResendRules.ForCall(ResendRule.Never, [new ProbeRequest(true, "", "")]));

    private interface IMisdeclared
    {
        [RetrySafe]
        ValueTask<int> NotATask();

        [RetrySafe, ResendWhenNotDelivered]
        Task Both();
    }

    [Theory]
    [InlineData(nameof(IMisdeclared.NotATask))]
    [InlineData(nameof(IMisdeclared.Both))]
    public void A_rule_the_filter_cannot_keep_is_refused_loudly(string method) =>
        Assert.Throws<InvalidOperationException>(() => ResendRules.Declared(typeof(IMisdeclared).GetMethod(method)!));

    [Fact]
    public void Every_silo_and_the_cluster_client_register_the_filter_once()
    {
        var settings = new ClusterSettings { ConnectionString = "Host=127.0.0.1" };
        var client = Host.CreateApplicationBuilder();
        client.UseOrleansClient(c => c.AddClusterClient(settings).AddClusterClient(settings));
        var silo = Host.CreateApplicationBuilder();
        silo.UseOrleans(s => s.AddClusterSilo(settings).AddProxyGrains());
        foreach (var services in new[] { client.Services, silo.Services })
            Assert.Single(services, d => d.ServiceType == typeof(IOutgoingGrainCallFilter) && d.ImplementationType == typeof(ResendFilter));
    }
}
