using CliProxy.Gateway.Hosting;
using Microsoft.Extensions.Configuration;

namespace CliProxy.Tests.Gateway.Hosting;

/// <summary>The gateway's command line (<see cref="GatewayCommandLine"/>): its options, settings passed through, help, usage errors.</summary>
[Unit]
public sealed class GatewayCommandLineTests
{
    private static async Task<(GatewayCommandLine? Line, int Exit, string Output, string Error)> Read(params string[] args)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var (line, exit) = await GatewayCommandLine.ReadAsync(args, output, error);
        return (line, exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("--config=x.yaml")]
    [InlineData("--config", "x.yaml")]
    [InlineData("-config", "x.yaml")]
    [InlineData("-config=x.yaml")]
    [InlineData("--config:x.yaml")]
    public async Task Config_path_in_every_accepted_form(params string[] args)
    {
        var (line, exit, _, error) = await Read(args);
        Assert.Equal(0, exit);
        Assert.Equal("", error);
        Assert.Equal(("x.yaml", "", 0), (line!.ConfigPath, line.LocalPassword, line.Settings.Length));
    }

    [Theory]
    [InlineData("pw", "--password=pw")]
    [InlineData("pw", "--password", "pw")]
    [InlineData("pw", "-password", "pw")]
    [InlineData("a=b", "--password=a=b")]
    [InlineData("", "--password=")]
    [InlineData("", "-password=")]
    [InlineData("", "--password", "")]
    public async Task Local_password_in_every_accepted_form(string expected, params string[] args)
    {
        var (line, exit, _, _) = await Read(args);
        Assert.Equal(0, exit);
        Assert.Equal(expected, line!.LocalPassword);
        Assert.Null(line.ConfigPath);
    }

    [Fact]
    public async Task Without_arguments_nothing_is_set()
    {
        var (line, exit, output, _) = await Read();
        Assert.Equal((0, ""), (exit, output));
        Assert.Equal((null, "", 0), (line!.ConfigPath, line.LocalPassword, line.Settings.Length));
    }

    [Fact]
    public async Task Other_arguments_reach_dotnet_configuration_in_order_in_both_forms()
    {
        var (line, _, _, _) = await Read(
            "--Http:Port=9000", "--Section:Key", "spaced value", "--config", "c.yaml", "--Http:TrustedProxies:0=10.0.0.5",
            "--password=pw", "--Storage:DataDirectory", "@data", "--Empty:Value=", "--Section:Key=last wins");
        Assert.Equal(("c.yaml", "pw"), (line!.ConfigPath, line.LocalPassword));
        Assert.Equal(
            ["--Http:Port=9000", "--Section:Key", "spaced value", "--Http:TrustedProxies:0=10.0.0.5", "--Storage:DataDirectory", "@data", "--Empty:Value=", "--Section:Key=last wins"],
            line.Settings);
        var configuration = new ConfigurationBuilder().AddCommandLine(line.Settings).Build();
        Assert.Equal("9000", configuration["Http:Port"]);
        Assert.Equal("last wins", configuration["Section:Key"]);
        Assert.Equal("10.0.0.5", configuration["Http:TrustedProxies:0"]);
        Assert.Equal("@data", configuration["Storage:DataDirectory"]);
        Assert.Equal("", configuration["Empty:Value"]);
    }

    [Fact]
    public async Task The_host_settings_a_test_factory_passes_are_settings_too()
    {
        // WebApplicationFactory hands its host settings to the entry point as --key=value.
        var (line, _, _, _) = await Read("--environment=Production", "--contentRoot=/tmp/x", "--config=/a b/c.yaml", "--password=pw");
        Assert.Equal(("/a b/c.yaml", "pw"), (line!.ConfigPath, line.LocalPassword));
        Assert.Equal(["--environment=Production", "--contentRoot=/tmp/x"], line.Settings);
    }

    [Theory]
    [InlineData("unrecognized command or argument 'config.yaml'", "config.yaml")]
    [InlineData("unrecognized command or argument 'b'", "--Section:Key=a", "b")]
    [InlineData("Required argument missing for option: '--config'.", "--config")]
    [InlineData("Option '--config' expects a single argument but 2 were provided.", "--config=a", "--config=b")]
    public async Task Usage_errors_end_with_code_2(string message, params string[] args)
    {
        var (line, exit, output, error) = await Read(args);
        Assert.Null(line);
        Assert.Equal(2, exit);
        Assert.Equal("", output);
        Assert.Contains(message, error);
        Assert.Contains("Run with --help for usage.", error);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("-h")]
    [InlineData("-?")]
    public async Task Help_lists_the_options_and_how_settings_are_given_but_not_the_hidden_password(string flag)
    {
        var (line, exit, output, error) = await Read(flag);
        Assert.Null(line);
        Assert.Equal((0, ""), (exit, error));
        Assert.Contains("Usage:", output);
        Assert.Contains("--config <path>", output);
        Assert.Contains("--help", output);
        Assert.Contains("--Section:Key=value or --Section:Key value", output);
        Assert.Contains("--Cluster:Mode=client", output);
        Assert.DoesNotContain("--password", output);
    }

    [Fact]
    public async Task Version_prints_a_version_and_ends()
    {
        // The entry assembly's version: the gateway's in the process (0.9.0+<commit>), the test host's here.
        var (line, exit, output, _) = await Read("--version");
        Assert.Null(line);
        Assert.Equal(0, exit);
        Assert.Matches(@"^\d+\.\d+\.\d+\S*\s*$", output);
    }
}
