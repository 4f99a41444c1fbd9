namespace CliProxy.Gateway.Hosting;

/// <summary>
/// Where and how this gateway serves, whatever its mode.
/// </summary>
/// <param name="Host">Listen host (<c>""</c> = all interfaces).</param>
/// <param name="Port">Listen port.</param>
/// <param name="Tls">PEM certificate and key files, or null for plain HTTP.</param>
/// <param name="AuthDirectory">Folder shown as the <c>path</c> of credentials (<c>""</c> in cluster mode, where credentials live in the database).</param>
/// <param name="PanelPath">Location of <c>management.html</c>.</param>
/// <param name="Mode">Human description of the hosting mode, for the start-up log.</param>
public sealed record GatewayHost(string Host, int Port, (string Cert, string Key)? Tls, string AuthDirectory, string PanelPath, string Mode)
{
    /// <summary>The URL clients use to reach this gateway.</summary>
    public string PublicUrl =>
        $"{(Tls is null ? "http" : "https")}://{(Host is "" or "0.0.0.0" or "::" ? "127.0.0.1" : Host.Contains(':') ? $"[{Host}]" : Host)}:{Port}";
}
