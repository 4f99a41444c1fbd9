using CliProxy.Abstractions.Config;
using CliProxy.Gateway.Hosting;
using CliProxy.Grains.Config;

var cli = CommandLine.Parse(args);
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = cli.Rest });
builder.Configuration.AddEnvironmentVariables("CLIPROXY_");

ConfigBootstrap boot;
try
{
    boot = await ConfigBootstrap.PrepareAsync(cli.ConfigPath, builder.Configuration);
}
catch (ConfigLoadException e)
{
    await Console.Error.WriteLineAsync($"config file {Path.GetFullPath(cli.ConfigPath ?? "config.yaml")} is invalid: {e.Message}");
    return 1;
}

// The silo is added first so that it starts before the services that call grains.
builder.AddEmbeddedSilo(boot).AddGateway(boot, cli);
var app = builder.Build();
app.MapGateway(boot);
await app.StartAsync();

// Activate the config grain now: it validates the document and replaces a plaintext secret by its hash.
await app.Services.GetRequiredService<IGrainFactory>().GetGrain<IConfigGrain>(ConfigGrainKeys.Default).GetSnapshot();
StartupBanner.Print(app.Logger, boot);
await app.WaitForShutdownAsync();
return 0;
