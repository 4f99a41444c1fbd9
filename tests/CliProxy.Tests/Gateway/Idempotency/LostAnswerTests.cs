using CliProxy.Abstractions.Config;
using CliProxy.Tests.Support;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Idempotency;

/// <summary>
/// A config edit without an <c>Idempotency-Key</c> whose answer is lost after the change ran (what a
/// silo that stops between storing and answering does; the client sees a timeout): the gateway sends
/// it again under the key it assigned, and the change is applied once. Before assigned keys such a
/// PATCH answered 503 (CI, rolling restart: 7 writes).
/// </summary>
[Http]
public sealed class LostAnswerTests
{
    [Fact]
    public async Task A_patch_whose_answer_was_lost_is_sent_again_and_applied_once()
    {
        var losing = new LoseFirstEditAnswer();
        await using var gateway = InProcessGateway.Prepare(Mgmt.FullYaml)
            .WithServices(s => s.AddSingleton<IIncomingGrainCallFilter>(losing));
        await gateway.StartAsync();
        await gateway.Ok("PUT", "/api-keys", """["first"]""");
        losing.Armed = true;

        var reply = await gateway.Call("PATCH", "/api-keys", """{"old":"absent","new":"added-once"}""");

        Mgmt.AssertOk(reply, "PATCH after a lost answer");
        Assert.Equal(2, losing.EditCalls);
        var listed = (await gateway.Call("GET", "/api-keys")).Json!["api-keys"]!.AsArray().Select(k => (string?)k).ToList();
        Assert.Equal(["first", "added-once"], listed);
    }

    /// <summary>Once armed, runs the next <see cref="IConfigGrain.Edit"/> and then throws the timeout its caller would see.</summary>
    private sealed class LoseFirstEditAnswer : IIncomingGrainCallFilter
    {
        private int _lost;

        public volatile bool Armed;

        public int EditCalls;

        public async Task Invoke(IIncomingGrainCallContext context)
        {
            var edit = context.InterfaceMethod?.Name == nameof(IConfigGrain.Edit) && Armed;
            if (edit) Interlocked.Increment(ref EditCalls);
            await context.Invoke();
            if (edit && Interlocked.Exchange(ref _lost, 1) == 0)
                throw new TimeoutException("the answer was lost (test)");
        }
    }
}
