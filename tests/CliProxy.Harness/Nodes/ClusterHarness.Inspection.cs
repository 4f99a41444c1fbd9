using System.Text;
using CliProxy.Abstractions.Config;
using CliProxy.Grains.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace CliProxy.Harness;

/// <summary>Waits and diagnostics: the membership table, an in-process cluster client, grain placement and node logs.</summary>
public sealed partial class ClusterHarness
{
    private const int ActiveStatus = 3;

    /// <summary>Silo ports of the members the membership table lists as Active.</summary>
    public async Task<IReadOnlyList<int>> ActiveSiloPortsAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT port FROM orleans_membership WHERE deployment_id = @id AND status = @active ORDER BY port", connection);
        command.Parameters.AddWithValue("id", ClusterId);
        command.Parameters.AddWithValue("active", ActiveStatus);
        var ports = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync()) ports.Add(reader.GetInt32(0));
        return ports;
    }

    /// <summary>
    /// Death votes in the membership table: one line per vote a silo cast against another one
    /// (<c>silo 127.0.0.1:port@generation (status) voted dead by 127.0.0.1:port@generation at time</c>).
    /// A silo's own entry in its row (written when it stops) is not a vote and is left out.
    /// </summary>
    public async Task<IReadOnlyList<string>> DeathVotesAsync()
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT address, port, generation, status, suspect_times FROM orleans_membership WHERE deployment_id = @id AND suspect_times IS NOT NULL", connection);
        command.Parameters.AddWithValue("id", ClusterId);
        var votes = new List<string>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            var silo = $"{reader.GetString(0)}:{reader.GetInt32(1)}@{reader.GetInt32(2)}";
            // Orleans' format: "address:port@generation,time" entries separated by '|'.
            foreach (var vote in reader.GetString(4).Split('|', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                var voter = vote.Split(',', 2)[0];
                if (voter != silo) votes.Add($"silo {silo} (status {reader.GetInt32(3)}) voted dead by {vote}");
            }
        }

        return votes;
    }

    /// <summary>
    /// Waits until the membership table lists exactly the running silos as Active (a killed silo has
    /// been declared dead, a started one has joined).
    /// </summary>
    public Task<TimeSpan> WaitForMembershipAsync(TimeSpan? timeout = null)
    {
        IReadOnlyList<int> seen = [];
        return Poll.UntilAsync(async () =>
            {
                seen = await ActiveSiloPortsAsync();
                return seen.SequenceEqual(RunningSilos.Select(s => s.SiloPort).Order());
            }, timeout ?? Options.StartTimeout,
            () => $"Active members [{string.Join(", ", seen)}] = running silos [{string.Join(", ", RunningSilos.Select(s => s.SiloPort).Order())}]\n{Describe()}",
            TimeSpan.FromMilliseconds(100));
    }

    /// <summary>
    /// An Orleans client of the cluster inside the test process (created on first use), for questions
    /// HTTP cannot answer, such as where a grain is active.
    /// </summary>
    public async Task<IClusterClient> GetClusterClientAsync()
    {
        await _clientLock.WaitAsync();
        try
        {
            if (_clientHost is null)
            {
                var settings = new ClusterSettings { ConnectionString = ConnectionString, ClusterId = ClusterId, ServiceId = ServiceId };
                if (Options.GatewayListRefresh is { } refresh) settings.GatewayListRefresh = refresh;
                if (Options.ResponseTimeout is { } responseTimeout) settings.ResponseTimeout = responseTimeout;
                var host = new HostBuilder().UseOrleansClient(client => client.AddClusterClient(settings)).Build();
                using var timeout = new CancellationTokenSource(Options.StartTimeout);
                await host.StartAsync(timeout.Token);
                _clientHost = host;
            }

            return _clientHost.Services.GetRequiredService<IClusterClient>();
        }
        finally
        {
            _clientLock.Release();
        }
    }

    /// <summary>The running silo where <paramref name="grain"/> is active, or null when it is not active anywhere we know.</summary>
    public async Task<SiloNode?> FindHostAsync(IAddressable grain)
    {
        var client = await GetClusterClientAsync();
        var address = await client.GetGrain<IManagementGrain>(0).GetActivationAddress(grain);
        return address is null ? null : RunningSilos.FirstOrDefault(s => s.SiloPort == address.Endpoint.Port);
    }

    /// <summary>The silo hosting the config grain (activating it first if needed).</summary>
    public async Task<SiloNode> FindConfigGrainHostAsync()
    {
        var client = await GetClusterClientAsync();
        var grain = client.GetGrain<IConfigGrain>(ConfigGrainKeys.Default);
        await grain.GetSnapshot();
        return await FindHostAsync(grain) ?? throw new InvalidOperationException("the config grain is active on no running silo\n" + Describe());
    }

    /// <summary>State and log tail of every node, for failure messages.</summary>
    public string Describe(int linesPerNode = 40)
    {
        var text = new StringBuilder($"cluster {ClusterId} on {ConnectionString}; folder {Directory}; t=+{Elapsed.TotalSeconds:F3}s\n");
        foreach (var node in _nodes) text.Append(node.Describe(linesPerNode));
        return text.ToString();
    }
}
