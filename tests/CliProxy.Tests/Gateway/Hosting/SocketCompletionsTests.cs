using CliProxy.Gateway.Hosting;

namespace CliProxy.Tests.Gateway.Hosting;

/// <summary>The gateway process turns inline socket completions on unless the operator set the switch, and only in its own process.</summary>
[Unit]
public sealed class SocketCompletionsTests
{
    [Theory]
    [InlineData(true, null, "1", true)] // the gateway's own process, nothing set: turned on
    [InlineData(true, "0", "0", false)] // the operator's choice stays
    [InlineData(true, "1", "1", false)]
    [InlineData(false, null, null, false)] // a test host running the entry point: left alone
    [InlineData(false, "0", "0", false)]
    public void The_switch_is_set_only_when_unset_in_the_gateways_own_process(bool ownProcess, string? before, string? expected, bool written)
    {
        var environment = new Dictionary<string, string?> { [SocketCompletions.InlineVariable] = before };
        var writes = 0;
        var inEffect = SocketCompletions.PreferInline(ownProcess, name => environment.GetValueOrDefault(name), (name, value) =>
        {
            environment[name] = value;
            writes++;
        });
        Assert.Equal(expected, inEffect);
        Assert.Equal(expected, environment[SocketCompletions.InlineVariable]);
        Assert.Equal(written ? 1 : 0, writes);
    }
}
