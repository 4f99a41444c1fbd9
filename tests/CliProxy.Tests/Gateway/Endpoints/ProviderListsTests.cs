using System.Text.Json.Nodes;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Endpoints;

/// <summary>
/// The five provider credential lists (spec §9 with correction 1: one consistent contract for all
/// lists). Every test first PUTs the list it works on, so tests do not depend on each other.
/// The tests are split by verb (<c>ProviderListsTests.Put.cs</c>, <c>.Patch.cs</c>, <c>.Delete.cs</c>) and
/// share this class's one gateway and the helpers below; <see cref="ProviderListInfo"/> describes the lists.
/// </summary>
[Http]
public sealed partial class ProviderListsTests(FullGateway fixture) : IClassFixture<FullGateway>
{
    private TestGateway G => fixture.Gateway;

    public static TheoryData<string> Lists() => ProviderListInfo.Keys();

    private static TheoryData<string, string> Cross(params string[] values) => ProviderListInfo.Cross(values);

    private async Task Arrange(ProviderListInfo l, params string[] entries) => await G.Ok("PUT", l.Route, ProviderListInfo.Arr(entries));

    private async Task<JsonNode?> Get(ProviderListInfo l)
    {
        var json = await G.GetJson(l.Route);
        Assert.Single(json.AsObject());
        return json[l.Key];
    }

    private async Task AssertList(ProviderListInfo l, params string[] expected) => Mgmt.AssertEntries(await Get(l), expected);

    private async Task ArrangeThree(ProviderListInfo l) =>
        await Arrange(l, l.E("a", extra: """{"prefix":"pa"}"""), l.E("b", extra: """{"prefix":"pb"}"""), l.E("c", extra: """{"prefix":"pc"}"""));
}
