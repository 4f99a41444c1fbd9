using CliProxy.Domain.Outbound;

namespace CliProxy.Tests.Domain.Outbound;

/// <summary>How a <c>proxy-url</c> value is read (<see cref="ProxySetting"/>).</summary>
[Unit]
public sealed class ProxySettingTests
{
    [Theory]
    [InlineData(null, ProxyMode.Inherit, "inherit")]
    [InlineData("", ProxyMode.Inherit, "inherit")]
    [InlineData("  \t", ProxyMode.Inherit, "inherit")]
    [InlineData("direct", ProxyMode.Direct, "direct")]
    [InlineData(" NONE ", ProxyMode.Direct, "direct")]
    [InlineData("http://proxy.example:3128", ProxyMode.Proxy, "http://proxy.example:3128")]
    [InlineData("  http://proxy.example:3128/ignored/path?q=1  ", ProxyMode.Proxy, "http://proxy.example:3128")]
    [InlineData("http://proxy.example", ProxyMode.Proxy, "http://proxy.example")]
    [InlineData("https://proxy.example:8443", ProxyMode.Proxy, "https://proxy.example:8443")]
    [InlineData("socks5://127.0.0.1:1080", ProxyMode.Proxy, "socks5://127.0.0.1:1080")]
    [InlineData("socks5h://proxy.example:1080", ProxyMode.Proxy, "socks5://proxy.example:1080")]
    [InlineData("socks5://user:secret@127.0.0.1:1080", ProxyMode.Proxy, "socks5://***@127.0.0.1:1080")]
    [InlineData("ftp://proxy.example:21", ProxyMode.Invalid, "invalid")]
    [InlineData("socks4://proxy.example:1080", ProxyMode.Invalid, "invalid")]
    [InlineData("proxy.example:3128", ProxyMode.Invalid, "invalid")]
    [InlineData("not a url", ProxyMode.Invalid, "invalid")]
    [InlineData("http://", ProxyMode.Invalid, "invalid")]
    public void Values_are_read_as_the_reference_reads_them(string? value, ProxyMode mode, string description)
    {
        var setting = ProxySetting.Parse(value);
        Assert.Equal(mode, setting.Mode);
        Assert.Equal(description, setting.Description);
        Assert.Equal(mode == ProxyMode.Proxy, setting.Address is not null);
        Assert.Equal(mode == ProxyMode.Invalid, setting.Problem.Length > 0);
    }

    [Fact]
    public void User_info_becomes_percent_decoded_credentials_and_leaves_the_address()
    {
        var setting = ProxySetting.Parse("http://us%40er:p%3Ass:word@proxy.example:3128");
        Assert.Equal("us@er", setting.Credentials!.UserName);
        Assert.Equal("p:ss:word", setting.Credentials.Password);
        Assert.Equal("", setting.Address!.UserInfo);
        Assert.DoesNotContain("word", setting.Description);
    }

    [Fact]
    public void A_user_without_password_has_an_empty_password()
    {
        var setting = ProxySetting.Parse("socks5://alice@127.0.0.1:1080");
        Assert.Equal(("alice", ""), (setting.Credentials!.UserName, setting.Credentials.Password));
    }

    [Fact]
    public void Identity_tells_credentials_apart_and_description_hides_them()
    {
        var a = ProxySetting.Parse("http://u:one@proxy.example:3128");
        var b = ProxySetting.Parse("http://u:two@proxy.example:3128");
        Assert.Equal(a.Description, b.Description);
        Assert.NotEqual(a.Identity, b.Identity);
        Assert.Equal(a.Identity, ProxySetting.Parse(" http://u:one@proxy.example:3128/ ").Identity);
    }

    [Theory]
    [InlineData("ftp://u:topsecret@proxy.example", "unsupported proxy scheme 'ftp'")]
    [InlineData("topsecret", "not a URL")]
    public void Problems_never_repeat_the_value(string value, string problem)
    {
        var setting = ProxySetting.Parse(value);
        Assert.Equal(problem, setting.Problem);
        Assert.DoesNotContain("topsecret", setting.Problem);
    }
}
