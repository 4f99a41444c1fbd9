using CliProxy.Tests.Support;

namespace CliProxy.Tests.Gateway.Process;

/// <summary>
/// Spec §2.3 over real sockets: the access line of every request in <c>main.log</c> carries the id its answer
/// announced in <c>X-Request-Id</c> — requests one after another on one kept-alive HTTP/1.1 connection (which share
/// the connection's request id slot) and requests at once on several connections.
/// </summary>
[Process]
public sealed class RequestIdLogTests
{
    [Fact]
    public async Task Access_lines_carry_the_id_each_answer_announced()
    {
        var yaml = Mgmt.FullYaml.Replace("logging-to-file: false", "logging-to-file: true");
        await using var g = await Mgmt.StartProcessAsync(yaml);
        var run = Guid.NewGuid().ToString("N")[..8];

        var sequential = new List<(string Path, string Id)>();
        for (var i = 0; i < 5; i++) sequential.Add(await ProbeAsync(g, $"/id-probe-{run}-seq{i}"));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => ProbeAsync(g, $"/id-probe-{run}-par{i}")));

        var probes = sequential.Concat(concurrent).ToList();
        var lines = await g.MainLogLinesWith([.. probes.Select(p => $"\"{p.Path}\"")]);
        foreach (var (path, id) in probes)
        {
            var line = Assert.Single(lines, l => l.Contains($"\"{path}\""));
            Assert.Contains($"] [{id}] [", line);
        }
        Assert.Equal(probes.Count, probes.Select(p => p.Id).Distinct().Count());
    }

    private static async Task<(string Path, string Id)> ProbeAsync(TestGateway g, string path)
    {
        var reply = await g.Raw("POST", path);
        Assert.Equal(404, reply.Status);
        return (path, reply.Header("X-Request-Id") ?? throw new InvalidOperationException("no X-Request-Id"));
    }
}
