using System.Text;
using CliProxy.Abstractions.Idempotency;

namespace CliProxy.Tests.Grains;

/// <summary>The stored answers of requests with an Idempotency-Key (<see cref="IIdempotencyGrain"/>), on a 2-silo cluster with a manual clock.</summary>
[Grain]
public sealed class IdempotencyGrainTests(SiloClusterFixture fixture) : IClassFixture<SiloClusterFixture>
{
    private IIdempotencyGrain Shard(int silo, IdempotencyToken token) => fixture.Silo(silo).GetGrain<IIdempotencyGrain>(IdempotencyLimits.ShardOf(token));

    private static IdempotencyToken NewToken(string fingerprint = "f1") => new(Guid.NewGuid().ToString("N"), fingerprint);

    private static IdempotentResponse Answer(int status, string body) => new(status, "application/json; charset=utf-8", Encoding.UTF8.GetBytes(body));

    /// <summary>A request with <paramref name="token"/> runs on silo 0 and answers 200 {"status":"ok"}.</summary>
    private async Task AnsweredAsync(IdempotencyToken token)
    {
        var attempt = Guid.NewGuid();
        Assert.Equal(IdempotencyDecision.Proceed, (await Shard(0, token).Begin(token, attempt)).Decision);
        await Shard(0, token).Complete(token, attempt, Answer(200, """{"status":"ok"}"""));
    }

    [Fact]
    public async Task A_stored_answer_is_replayed_on_every_silo_and_the_request_is_not_run_again()
    {
        var token = NewToken();
        await AnsweredAsync(token);

        foreach (var silo in new[] { 0, 1 })
        {
            var replay = await Shard(silo, token).Begin(token, Guid.NewGuid());
            Assert.Equal(IdempotencyDecision.Replay, replay.Decision);
            Assert.Equal(200, replay.Response!.Status);
            Assert.Equal("application/json; charset=utf-8", replay.Response.ContentType);
            Assert.Equal("""{"status":"ok"}""", Encoding.UTF8.GetString(replay.Response.Body));
        }
    }

    [Fact]
    public async Task The_first_answer_wins_and_a_refusal_is_an_answer_too()
    {
        var token = NewToken();
        var first = Guid.NewGuid();
        await Shard(0, token).Begin(token, first);
        await Shard(0, token).Complete(token, first, Answer(400, """{"error":"invalid body"}"""));
        await Shard(1, token).Complete(token, Guid.NewGuid(), Answer(200, """{"status":"ok"}"""));

        var replay = await Shard(1, token).Begin(token, Guid.NewGuid());
        Assert.Equal((IdempotencyDecision.Replay, 400), (replay.Decision, replay.Response!.Status));
        Assert.Equal("""{"error":"invalid body"}""", Encoding.UTF8.GetString(replay.Response.Body));
    }

    [Fact]
    public async Task A_running_request_holds_its_key_until_it_answers_or_gives_it_back()
    {
        var token = NewToken();
        var first = Guid.NewGuid();
        Assert.Equal(IdempotencyDecision.Proceed, (await Shard(0, token).Begin(token, first)).Decision);
        // The same attempt asking again (its answer was lost) keeps its claim.
        Assert.Equal(IdempotencyDecision.Proceed, (await Shard(1, token).Begin(token, first)).Decision);
        Assert.Equal(IdempotencyDecision.InProgress, (await Shard(1, token).Begin(token, Guid.NewGuid())).Decision);
        Assert.Equal(IdempotencyDecision.Mismatch, (await Shard(1, token).Begin(token with { Fingerprint = "other" }, Guid.NewGuid())).Decision);

        // An uncertain outcome gives the key back: the retry runs.
        await Shard(0, token).Release(token, first);
        Assert.Equal(IdempotencyDecision.Proceed, (await Shard(1, token).Begin(token, Guid.NewGuid())).Decision);
    }

    [Fact]
    public async Task A_claim_whose_gateway_never_answers_lapses_after_the_lease()
    {
        var token = NewToken();
        await Shard(0, token).Begin(token, Guid.NewGuid());
        fixture.Time.Advance(IdempotencyLimits.InFlightLease - TimeSpan.FromSeconds(1));
        Assert.Equal(IdempotencyDecision.InProgress, (await Shard(0, token).Begin(token, Guid.NewGuid())).Decision);
        fixture.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(IdempotencyDecision.Proceed, (await Shard(0, token).Begin(token, Guid.NewGuid())).Decision);
    }

    [Fact]
    public async Task A_key_used_for_a_different_request_is_a_mismatch()
    {
        var token = NewToken("fingerprint-a");
        await AnsweredAsync(token);
        var other = token with { Fingerprint = "fingerprint-b" };
        Assert.Equal(IdempotencyDecision.Mismatch, (await Shard(1, other).Begin(other, Guid.NewGuid())).Decision);
    }

    [Fact]
    public async Task An_answer_lapses_after_24_hours()
    {
        var token = NewToken();
        await AnsweredAsync(token);

        fixture.Time.Advance(IdempotencyLimits.Retention - TimeSpan.FromMilliseconds(1));
        Assert.Equal(IdempotencyDecision.Replay, (await Shard(1, token).Begin(token, Guid.NewGuid())).Decision);
        fixture.Time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(IdempotencyDecision.Proceed, (await Shard(1, token).Begin(token, Guid.NewGuid())).Decision);
    }

    [Fact]
    public async Task An_answer_over_the_body_limit_is_not_kept_and_the_key_is_released()
    {
        var token = NewToken();
        var attempt = Guid.NewGuid();
        await Shard(0, token).Begin(token, attempt);
        await Shard(0, token).Complete(token, attempt, new IdempotentResponse(200, "application/json", new byte[IdempotencyLimits.MaxBodyBytes + 1]));
        Assert.Equal(IdempotencyDecision.Proceed, (await Shard(0, token).Begin(token, Guid.NewGuid())).Decision);
    }
}
