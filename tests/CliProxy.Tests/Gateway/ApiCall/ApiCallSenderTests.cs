using CliProxy.Domain.Outbound;
using CliProxy.Gateway.ApiCall;
using CliProxy.Tests.Support.Outbound;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CliProxy.Tests.Gateway.ApiCall;

/// <summary><see cref="ApiCallSender"/>'s time limit, on a fake clock against an upstream that never answers.</summary>
[Unit]
public sealed class ApiCallSenderTests : IAsyncLifetime
{
    private readonly ServiceProvider _services = new ServiceCollection().AddLogging().AddOutboundHttp().BuildServiceProvider();
    private readonly SilentServer _silent = new();
    private readonly FakeTimeProvider _time = new();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _silent.DisposeAsync();
    }

    private ApiCallSender Sender => new(_services.GetRequiredService<OutboundHttp>(), new ApiCallTargets(listenPort: 1), _time);

    private ApiCallRequest Request => ApiCallRequest.Parse($$"""{"method":"GET","url":"http://127.0.0.1:{{_silent.Port}}/slow"}""", out _)!;

    [Fact]
    public async Task A_call_that_takes_60_seconds_is_502_request_failed()
    {
        var call = Sender.SendAsync(Request, ProxySetting.Parse("direct"), CancellationToken.None);
        await _silent.Received.WaitAsync(TimeSpan.FromSeconds(20));
        _time.Advance(ApiCallSender.Timeout - TimeSpan.FromSeconds(1));
        await Task.Delay(50);
        Assert.False(call.IsCompleted);
        _time.Advance(TimeSpan.FromSeconds(1));
        var outcome = await call.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.Equal((502, "request failed"), (outcome.Status, outcome.Error));
    }

    [Fact]
    public async Task The_callers_cancellation_is_not_a_timeout()
    {
        using var cancel = new CancellationTokenSource();
        var call = Sender.SendAsync(Request, ProxySetting.Parse("direct"), cancel.Token);
        await _silent.Received.WaitAsync(TimeSpan.FromSeconds(20));
        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call.WaitAsync(TimeSpan.FromSeconds(20)));
    }
}
