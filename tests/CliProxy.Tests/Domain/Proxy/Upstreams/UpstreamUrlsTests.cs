using CliProxy.Domain.Proxy.Upstreams;

namespace CliProxy.Tests.Domain.Proxy.Upstreams;

/// <summary>An executor's parsed upstream URLs: parsed once per (base URL, path), refused when malformed, bounded.</summary>
[Unit]
public sealed class UpstreamUrlsTests
{
    [Fact]
    public void A_url_is_parsed_once_per_base_and_path()
    {
        var urls = new UpstreamUrls();
        var first = urls.Of("https://api.example.com/v1", "/chat/completions");
        Assert.Equal("https://api.example.com/v1/chat/completions", first.AbsoluteUri);
        Assert.Same(first, urls.Of("https://api.example.com/v1", "/chat/completions"));
        Assert.NotSame(first, urls.Of("https://api.example.com/v1", "/completions"));
    }

    [Theory]
    [InlineData("api.example.com/v1")]
    [InlineData("http://")]
    public void A_malformed_base_url_is_refused_and_not_kept(string baseUrl)
    {
        var urls = new UpstreamUrls();
        Assert.ThrowsAny<UriFormatException>(() => urls.Of(baseUrl, "/chat/completions"));
        Assert.ThrowsAny<UriFormatException>(() => urls.Of(baseUrl, "/chat/completions"));
    }

    [Fact]
    public void Past_its_limit_the_cache_starts_over_and_still_answers()
    {
        var urls = new UpstreamUrls();
        var first = urls.Of("https://h0.example.com", "/p");
        for (var i = 1; i <= UpstreamUrls.Limit; i++) urls.Of($"https://h{i}.example.com", "/p");
        var again = urls.Of("https://h0.example.com", "/p");
        Assert.NotSame(first, again);
        Assert.Equal(first, again);
    }
}
