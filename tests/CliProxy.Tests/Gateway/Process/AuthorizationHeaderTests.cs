using CliProxy.Tests.Gateway.Endpoints;

namespace CliProxy.Tests.Gateway.Process;

/// <summary>
/// Authorization values are compared as they arrive on the wire (spec §3): the in-memory test
/// client of <see cref="InProcessGateway"/> re-serialises an <c>Authorization</c> header (two spaces
/// after <c>Bearer</c> become one), so these requests go to a process over a socket.
/// </summary>
[Process]
public sealed class AuthorizationHeaderTests(TrustingFullConfigGatewayProcess fixture) : IClassFixture<TrustingFullConfigGatewayProcess>
{
    private GatewayProcess G => fixture.Gateway;

    private static void AssertVersionHeaders(Reply r) => AccessControlTests.AssertVersionHeaders(r);

    private Task<Reply> As(string from, (string, string)[] headers, string route = "/debug") => G.Raw("GET", Mgmt.Prefix + route, headers: headers, from: from);

    [Theory]
    [InlineData("Basic " + Mgmt.Key)]
    [InlineData("Bearer  " + Mgmt.Key)]
    [InlineData("Token " + Mgmt.Key)]
    [InlineData("Bearer" + Mgmt.Key)]
    public async Task Other_schemes_and_unclean_values_are_compared_literally(string authorization)
    {
        var r = await As(Mgmt.NextLocal(), [("Authorization", authorization)]);
        Mgmt.AssertError(r, 401, "invalid management key");
        AssertVersionHeaders(r);
    }
}
