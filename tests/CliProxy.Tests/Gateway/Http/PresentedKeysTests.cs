using CliProxy.Gateway.Http;
using Microsoft.AspNetCore.Http;

namespace CliProxy.Tests.Gateway.Http;

/// <summary>The keys a request presents (<see cref="PresentedKeys"/>): management key, local password, client keys.</summary>
[Unit]
public sealed class PresentedKeysTests
{
    [Theory]
    [InlineData("Bearer k1", "", "k1")]
    [InlineData("bearer k1", "", "k1")]
    [InlineData("BEARER k1", "", "k1")]
    [InlineData("Bearer  k1", "", " k1")] // not trimmed: compared as sent
    [InlineData("Bearer k1 k2", "", "k1 k2")]
    [InlineData("k1", "", "k1")] // a bare value is the key
    [InlineData("Basic k1", "", "Basic k1")] // another scheme: the whole value
    [InlineData("Bearerk1", "", "Bearerk1")]
    [InlineData("Bearer k1", "k2", "k1")] // Authorization first
    [InlineData("", "k2", "k2")]
    [InlineData(null, "k2", "k2")]
    [InlineData("Bearer", "k2", "k2")] // a bearer scheme without token falls back
    [InlineData("bearer", "", "")]
    [InlineData("Bearer ", "k2", "k2")]
    [InlineData("", "", "")]
    [InlineData(null, null, "")]
    public void Management_key(string? authorization, string? managementKey, string expected) =>
        Assert.Equal(expected, PresentedKeys.Management(authorization, managementKey));

    [Theory]
    [InlineData("Bearer pw", "", "pw")]
    [InlineData("bearer   pw  ", "", "pw")] // trimmed
    [InlineData("  pw  ", "", "pw")]
    [InlineData("Token pw", "", "Token pw")]
    [InlineData("Bearer", "", "Bearer")] // no space: a bare value
    [InlineData("", " pw2 ", "pw2")]
    [InlineData("   ", "pw2", "pw2")]
    [InlineData("Bearer   ", "pw2", "Bearer")] // trimmed to a bare "Bearer" first
    [InlineData(null, null, "")]
    public void Local_password(string? authorization, string? localPassword, string expected) =>
        Assert.Equal(expected, PresentedKeys.LocalPassword(authorization, localPassword));

    [Theory]
    [InlineData("Bearer k1", null, null, null, null, "Authorization:k1")]
    [InlineData("bearer   k1  ", null, null, null, null, "Authorization:k1")] // trimmed
    [InlineData("k1", null, null, null, null, "Authorization:k1")]
    [InlineData("Basic k1", null, null, null, null, "Authorization:Basic k1")]
    [InlineData("Bearer", null, null, null, null, "Authorization:Bearer")] // as the reference: a lone word is a bare key
    [InlineData(null, "g1", null, null, null, "GoogApiKey:g1")]
    [InlineData(null, null, "a1", null, null, "ApiKey:a1")]
    [InlineData(null, null, null, "q1", null, "QueryKey:q1")]
    [InlineData(null, null, null, null, "t1", "QueryAuthToken:t1")]
    [InlineData("Bearer k1", "g1", "a1", "q1", "t1", "Authorization:k1,GoogApiKey:g1,ApiKey:a1,QueryKey:q1,QueryAuthToken:t1")]
    [InlineData("", "", "a1", "", "t1", "ApiKey:a1,QueryAuthToken:t1")]
    [InlineData("", "", "", "", "", "")] // nothing presented: "missing", not "invalid"
    public void Client_keys_in_the_order_they_are_tried(string? authorization, string? goog, string? apiKey, string? queryKey, string? authToken, string expected)
    {
        var keys = PresentedKeys.Client(authorization, goog, apiKey, queryKey, authToken);
        Assert.Equal(expected, string.Join(",", keys.Select(k => $"{k.Source}:{k.Value}")));
    }

    [Fact]
    public void Requests_are_read_from_their_headers_and_query()
    {
        var http = new DefaultHttpContext();
        http.Request.Headers.Authorization = "Bearer k1";
        http.Request.Headers["X-Management-Key"] = "m1";
        http.Request.Headers["X-Local-Password"] = "p1";
        http.Request.Headers["X-Goog-Api-Key"] = new(["g1", "g2"]);
        http.Request.Headers["X-Api-Key"] = "a1";
        http.Request.QueryString = new QueryString("?key=q1&key=q2&auth_token=t1");
        Assert.Equal("k1", PresentedKeys.Management(http.Request));
        Assert.Equal("k1", PresentedKeys.LocalPassword(http.Request));
        Assert.Equal(
            [new("k1", ClientKeySource.Authorization), new("g1", ClientKeySource.GoogApiKey), new("a1", ClientKeySource.ApiKey),
             new("q1", ClientKeySource.QueryKey), new PresentedClientKey("t1", ClientKeySource.QueryAuthToken)],
            PresentedKeys.Client(http.Request));
        http.Request.Headers.Authorization = "";
        Assert.Equal("m1", PresentedKeys.Management(http.Request));
        Assert.Equal("p1", PresentedKeys.LocalPassword(http.Request));
    }
}
