namespace CliProxy.Gateway.Hosting;

/// <summary>
/// The gateway's own command-line options: <c>--config &lt;path&gt;</c> (default <c>./config.yaml</c>) and
/// the hidden <c>--password &lt;value&gt;</c> (a local management password, loopback clients only).
/// Everything else is left to .NET configuration (e.g. <c>--Gateway:TrustedProxies:0=10.0.0.5</c>).
/// </summary>
public sealed record CommandLine(string? ConfigPath, string LocalPassword, string[] Rest)
{
    /// <summary>Parses <paramref name="args"/>; accepts <c>--name value</c>, <c>--name=value</c> and single-dash forms.</summary>
    public static CommandLine Parse(string[] args)
    {
        string? config = null;
        var password = "";
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            var arg = args[i];
            var name = arg.TrimStart('-');
            string? inline = null;
            if (arg.StartsWith('-') && name.IndexOf('=') is var eq and > 0)
            {
                inline = name[(eq + 1)..];
                name = name[..eq];
            }
            if (arg.StartsWith('-') && name is "config" or "password")
            {
                var value = inline ?? (i + 1 < args.Length ? args[++i] : throw new ArgumentException($"--{name} needs a value"));
                if (name == "config") config = value;
                else password = value;
                continue;
            }
            rest.Add(arg);
        }
        return new CommandLine(config, password, rest.ToArray());
    }
}
