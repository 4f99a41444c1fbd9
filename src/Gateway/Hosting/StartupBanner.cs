namespace CliProxy.Gateway.Hosting;

/// <summary>What the gateway prints once it serves: where, and how to log in.</summary>
public static class StartupBanner
{
    /// <summary>Logs the URLs; on a first run also prints the generated management key once.</summary>
    public static void Print(ILogger logger, GatewayHost host, string? generatedKey, string? configPath)
    {
        logger.LogInformation("CLIProxy gateway serving {Url} (listening on {Listen}:{Port}), {Mode}", host.PublicUrl,
            host.Host.Length == 0 ? "all interfaces" : host.Host, host.Port, host.Mode);
        logger.LogInformation("Management API: {Url}{Prefix}", host.PublicUrl, GatewayPipeline.ManagementPrefix);
        if (generatedKey is null) return;
        Console.WriteLine($"""

            Created {configPath} with a new management key (shown only now; config.yaml keeps its bcrypt hash):

                {generatedKey}

            Log in with it, for example:
                curl -H "Authorization: Bearer {generatedKey}" {host.PublicUrl}{GatewayPipeline.ManagementPrefix}/config

            """);
    }
}
