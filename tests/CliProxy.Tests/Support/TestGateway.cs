using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;

namespace CliProxy.Tests.Support;

/// <summary>
/// A gateway in the embedded mode on its own temp folder (config.yaml copied from a fixture, its
/// <c>port:</c> set to a free port), seen by black-box tests through <see cref="Client"/>: either
/// in-process (<see cref="InProcessGateway"/>, the default) or as a separate process
/// (<see cref="GatewayProcess"/>, for restarts, kills, process-wide environment and the command line).
/// </summary>
public abstract class TestGateway : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();

    /// <summary>Creates the folder with <paramref name="configText"/> as its config.yaml.</summary>
    protected TestGateway(string configText)
    {
        File.WriteAllText(ConfigPath, configText);
        UseNewPort();
    }

    /// <summary>The <c>port:</c> of config.yaml (what a gateway process listens on).</summary>
    public int Port { get; private set; }

    /// <summary>The gateway's folder.</summary>
    public string Directory => _dir.Path;

    /// <summary>Path of its config.yaml.</summary>
    public string ConfigPath => _dir.File("config.yaml");

    /// <summary>A client with the base address set (no key).</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>What the gateway logged so far (diagnostics, and tests of log lines).</summary>
    public abstract string Output { get; }

    /// <summary>A new client of this gateway (30 s timeout); <paramref name="allowAutoRedirect"/> false returns 3xx answers as they are.</summary>
    public abstract HttpClient CreateClient(bool allowAutoRedirect = true);

    /// <summary>A request with the management key as a bearer token.</summary>
    public HttpRequestMessage Request(HttpMethod method, string path, string? key = null, string? body = null)
    {
        var request = new HttpRequestMessage(method, path);
        if (key is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        return request;
    }

    /// <summary>Sends a request and returns status and body text.</summary>
    public async Task<(int Status, string Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? key = null, string? body = null)
    {
        using var request = Request(method, path, key, body);
        var response = await Client.SendAsync(request);
        return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Stops the gateway (a process is killed, an in-process host stopped).</summary>
    public abstract Task StopAsync();

    /// <summary>Picks a free port, writes it into config.yaml (the <c>port:</c> line) and points <see cref="Client"/> at the gateway.</summary>
    protected void UseNewPort()
    {
        Port = FreePort.Next();
        var text = File.ReadAllText(ConfigPath);
        text = Regex.IsMatch(text, @"(?m)^port:") ? Regex.Replace(text, @"(?m)^port:.*$", $"port: {Port}") : $"port: {Port}\n" + text;
        File.WriteAllText(ConfigPath, text);
    }

    /// <summary>Replaces <see cref="Client"/> (after a start).</summary>
    protected void UseClient(HttpClient client)
    {
        Client?.Dispose();
        Client = client;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        Client?.Dispose();
        await DisposeCoreAsync();
        _dir.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the subclass holds, after <see cref="StopAsync"/>.</summary>
    protected virtual ValueTask DisposeCoreAsync() => ValueTask.CompletedTask;
}
