using CliProxy.Tests.Gateway.Endpoints;
using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Process;

/// <summary>
/// <c>Idempotency-Key</c> answers and the config grain's applied keys across a kill and start of the
/// gateway process (the rest of the rules: <see cref="IdempotencyTests"/>).
/// </summary>
[Process]
public sealed class IdempotencyRestartTests(FullGatewayProcess fixture) : IClassFixture<FullGatewayProcess>
{
    private const string Replayed = IdempotencyTests.Replayed;

    private GatewayProcess G => fixture.Gateway;

    private static (string, string) Key(string key) => IdempotencyTests.Key(key);

    private static string NewKey() => IdempotencyTests.NewKey();

    private static string Append(string apiKey) => IdempotencyTests.Append(apiKey);

    private async Task<int> Count(string apiKey) =>
        (await G.GetJson("/api-keys"))["api-keys"]!.AsArray().Count(k => (string)k! == apiKey);

    [Fact]
    public async Task Stored_answers_and_applied_keys_survive_a_restart()
    {
        var key = NewKey();
        var first = await G.Call("PATCH", "/api-keys", Append("sk-idem-http-restart"), headers: Key(key));
        Mgmt.AssertOk(first);
        await G.RestartGatewayAsync();
        var again = await G.Call("PATCH", "/api-keys", Append("sk-idem-http-restart"), headers: Key(key));
        Assert.Equal((first.Status, first.Body, "true"), (again.Status, again.Body, again.Header(Replayed)));
        Assert.Equal(1, await Count("sk-idem-http-restart"));
    }

    /// <summary>
    /// The case a gateway-level record alone cannot fix: the change was stored but its answer never
    /// reached the record (here: the stored answers are deleted while the process is down). The config
    /// grain's own record, written with the change, still answers the retry without applying it again.
    /// </summary>
    [Fact]
    public async Task A_retry_whose_first_answer_was_never_stored_is_not_applied_again()
    {
        var key = NewKey();
        Mgmt.AssertOk(await G.Call("PATCH", "/api-keys", Append("sk-idem-http-lost-answer"), headers: Key(key)));
        await G.StopAsync();
        var answers = Path.Combine(G.Directory, "data", "idempotency");
        Assert.True(Directory.Exists(answers), "no stored answers at " + answers);
        Directory.Delete(answers, recursive: true);
        await G.StartAsync();

        var retry = await G.Call("PATCH", "/api-keys", Append("sk-idem-http-lost-answer"), headers: Key(key));
        Mgmt.AssertOk(retry);
        Assert.Null(retry.Header(Replayed));
        Assert.Equal(1, await Count("sk-idem-http-lost-answer"));
    }
}
