using System.Diagnostics;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Hosting;

/// <summary>Without a tracing listener, a request costs no <see cref="Activity"/> (hosting made one per request while its logger was on).</summary>
[Http]
public sealed class RequestActivityTests
{
    [Fact]
    public async Task A_request_runs_without_an_activity_when_nothing_listens()
    {
        var seen = new ActivitySeen();
        await using var g = InProcessGateway.Prepare(Mgmt.FullYaml).WithServices(s => s.AddSingleton<IStartupFilter>(seen));
        await g.StartAsync();
        Assert.Equal(200, (await g.Call("GET", "/debug")).Status);
        Assert.True(seen.Requests > 0);
        Assert.Null(seen.Activity);
    }

    private sealed class ActivitySeen : IStartupFilter
    {
        public int Requests;
        public string? Activity;

        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.Use(nextMiddleware => context =>
            {
                Interlocked.Increment(ref Requests);
                if (System.Diagnostics.Activity.Current is { } current) Activity = current.OperationName;
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
