namespace CliProxy.Gateway.Hosting;

/// <summary>What the gateway prints once it serves: where, and how to log in.</summary>
public static class StartupBanner
{
    /// <summary>Logs the URLs; on a first run also prints the generated management key once.</summary>
    public static void Print(ILogger logger, ConfigBootstrap boot)
    {
        var url = GatewayServices.PublicUrl(boot);
        logger.LogInformation("CLIProxy gateway serving {Url} (config {Config}, auth-dir {AuthDir}, data {Data})",
            url, boot.ConfigPath, boot.AuthDirectory, boot.DataDirectory);
        logger.LogInformation("Management API: {Url}{Prefix}", url, GatewayPipeline.ManagementPrefix);
        if (boot.GeneratedKey is null) return;
        Console.WriteLine($"""

            Created {boot.ConfigPath} with a new management key (shown only now; config.yaml keeps its bcrypt hash):

                {boot.GeneratedKey}

            Log in with it, for example:
                curl -H "Authorization: Bearer {boot.GeneratedKey}" {url}{GatewayPipeline.ManagementPrefix}/config

            """);
    }
}
