using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace CliProxy.Tests.Gateway.Hosting;

/// <summary>The gateway does not watch its content root (where its logs usually are) for configuration changes.</summary>
[Http]
public sealed class ContentRootWatchTests
{
    [Fact]
    public async Task No_configuration_file_is_reloaded_on_change()
    {
        await using var g = await InProcessGateway.StartAsync(Mgmt.MinimalYaml);
        var root = (IConfigurationRoot)g.Services.GetRequiredService<IConfiguration>();
        var files = root.Providers.OfType<FileConfigurationProvider>().ToList();
        Assert.NotEmpty(files); // appsettings.json is still read (optional)
        Assert.All(files, f => Assert.False(f.Source.ReloadOnChange, f.Source.Path));
    }
}
