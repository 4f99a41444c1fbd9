using CliProxy.Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace CliProxy.Tests.Gateway.Hosting;

/// <summary>Old names of .NET settings (<see cref="DeprecatedSettings"/>): read for the new ones unless those are set.</summary>
[Unit]
public sealed class DeprecatedSettingsTests
{
    private static (Dictionary<string, string?> Values, List<DeprecatedSettings.Use> Uses) Translate(params string[] args) =>
        DeprecatedSettings.Translate(new ConfigurationBuilder().AddCommandLine(args).Build());

    [Theory]
    [InlineData("--Gateway:Mode=client", "Cluster:Mode", "client")]
    [InlineData("--Gateway:Host=127.0.0.1", "Http:Host", "127.0.0.1")]
    [InlineData("--Gateway:Port=9000", "Http:Port", "9000")]
    [InlineData("--Gateway:DrainDelay=00:00:05", "Http:DrainDelay", "00:00:05")]
    [InlineData("--Gateway:LatestReleaseUrl=http://feed", "Outbound:LatestReleaseUrl", "http://feed")]
    [InlineData("--Orleans:SiloPort=11112", "Cluster:SiloPort", "11112")]
    [InlineData("--Orleans:GatewayPort=30001", "Cluster:GatewayPort", "30001")]
    [InlineData("--gateway:port=9000", "Http:Port", "9000")] // keys are case-insensitive
    public void An_old_name_gives_its_value_to_the_new_one(string arg, string newKey, string value)
    {
        var (values, uses) = Translate(arg);
        Assert.Equal(value, values[newKey]);
        Assert.Single(values);
        Assert.False(Assert.Single(uses).Ignored);
        Assert.Equal(newKey, uses[0].New);
    }

    [Fact]
    public void A_section_moves_with_its_children()
    {
        var (values, _) = Translate("--Gateway:TrustedProxies:0=10.0.0.5", "--Gateway:TrustedProxies:1=10.1.0.0/16");
        Assert.Equal(new Dictionary<string, string?> { ["Http:TrustedProxies:0"] = "10.0.0.5", ["Http:TrustedProxies:1"] = "10.1.0.0/16" }, values);
    }

    [Fact]
    public void The_new_name_wins_and_the_old_one_is_reported_as_ignored()
    {
        var (values, uses) = Translate("--Gateway:Port=9000", "--Http:Port=9001", "--Gateway:TrustedProxies:0=10.0.0.5", "--Http:TrustedProxies:0=10.0.0.6");
        Assert.Empty(values);
        Assert.Equal([new("Gateway:Port", "Http:Port", true), new DeprecatedSettings.Use("Gateway:TrustedProxies", "Http:TrustedProxies", true)], uses);
    }

    [Fact]
    public void New_names_alone_need_nothing()
    {
        var (values, uses) = Translate("--Http:Port=9000", "--Cluster:Mode=client", "--Storage:DataDirectory=/d");
        Assert.Empty(values);
        Assert.Empty(uses);
    }

    [Fact]
    public void Applied_values_are_read_under_the_new_names()
    {
        var configuration = new ConfigurationManager();
        configuration.AddCommandLine(["--Gateway:Port=9000", "--Gateway:TrustedProxies:0=10.0.0.5", "--Http:Host=::1", "--Gateway:Host=0.0.0.0"]);
        var uses = DeprecatedSettings.Apply(configuration);
        var http = HttpSettings.From(configuration);
        Assert.Equal((9000, "::1"), (http.Port, http.Host));
        Assert.Equal(["10.0.0.5"], http.TrustedProxies);
        Assert.Equal(3, uses.Count);
    }
}
