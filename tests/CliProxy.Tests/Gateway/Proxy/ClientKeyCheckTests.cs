using CliProxy.Domain.Config;
using CliProxy.Gateway.Http;
using CliProxy.Gateway.Proxy.Access;

namespace CliProxy.Tests.Gateway.Proxy;

/// <summary>Client authentication of the data plane (spec usage §5.2).</summary>
[Unit]
public sealed class ClientKeyCheckTests
{
    private static readonly CliProxy.Domain.Config.Settings.ConfigSettings Keys = ConfigDocument.Load("api-keys: [k1, k2]\n").Settings;

    [Theory]
    [InlineData(null, null, null, null, null, ClientKeyVerdict.Missing, "")]
    [InlineData("Bearer k2", null, null, null, null, ClientKeyVerdict.Accepted, "k2")]
    [InlineData("k1", null, null, null, null, ClientKeyVerdict.Accepted, "k1")]
    [InlineData("Bearer wrong", "k1", null, null, null, ClientKeyVerdict.Accepted, "k1")]
    [InlineData(null, null, "k2", null, null, ClientKeyVerdict.Accepted, "k2")]
    [InlineData(null, null, null, "k1", null, ClientKeyVerdict.Accepted, "k1")]
    [InlineData(null, null, null, null, "k2", ClientKeyVerdict.Accepted, "k2")]
    [InlineData("Bearer wrong", null, null, null, null, ClientKeyVerdict.Invalid, "")]
    public void The_first_configured_key_presented_is_the_principal(string? auth, string? goog, string? apiKey, string? query, string? token, ClientKeyVerdict verdict, string key) =>
        Assert.Equal((verdict, key), ClientKeyCheck.Check(PresentedKeys.Client(auth, goog, apiKey, query, token), Keys));

    [Fact]
    public void No_configured_keys_means_open() =>
        Assert.Equal((ClientKeyVerdict.Accepted, ""), ClientKeyCheck.Check(PresentedKeys.Client(null, null, null, null, null), ConfigDocument.Load("").Settings));
}
