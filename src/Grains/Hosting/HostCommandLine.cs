using System.CommandLine;
using System.CommandLine.Invocation;

namespace CliProxy.Grains.Hosting;

/// <summary>
/// What the silo's and the gateway's command lines (System.CommandLine) have in common. Their own
/// options and commands are parsed by the library, with <c>--help</c> and <c>--version</c>; every other
/// argument is a setting handed on, in order, to .NET configuration (<c>--Section:Key=value</c> or
/// <c>--Section:Key value</c>). Also accepted, as before the library: Go-style single-dash names
/// (<c>-config x</c>, as the reference's flags), and <c>--name=</c> for an empty value. Arguments
/// starting with <c>@</c> are not response files. A word that is neither an option, a command nor the
/// value of a setting is a usage error.
/// </summary>
public static class HostCommandLine
{
    /// <summary>Exit code of a usage error (unknown word, missing or repeated option value).</summary>
    public const int UsageError = 2;

    /// <summary>Text for a command's description: how settings are given.</summary>
    public const string SettingsHelp =
        "Other arguments are settings of .NET configuration: --Section:Key=value or --Section:Key value (also environment variables CLIPROXY_Section__Key); see README.";

    /// <summary>Parses <paramref name="args"/> against <paramref name="root"/> after the rewrites above.</summary>
    public static ParseResult Parse(RootCommand root, IReadOnlyList<string> args)
    {
        Unmatched(root);
        var names = OptionNames(root);
        var normalized = new List<string>(args.Count);
        foreach (var arg in args)
        {
            var eq = arg.IndexOf('=');
            var name = eq < 0 ? arg : arg[..eq];
            if (name.Length > 2 && name[0] == '-' && name[1] != '-' && names.Contains("-" + name)) name = "-" + name;
            if (eq == arg.Length - 1 && names.Contains(name))
            {
                normalized.Add(name);
                normalized.Add("");
            }
            else
            {
                normalized.Add(eq < 0 ? name : name + arg[eq..]);
            }
        }
        return root.Parse(normalized, new ParserConfiguration { ResponseFileTokenReplacer = null });
    }

    /// <summary>The settings of <paramref name="result"/>: the arguments that are not the command line's own, in order.</summary>
    public static string[] Settings(ParseResult result) => [.. result.UnmatchedTokens];

    /// <summary>
    /// Writes the usage errors of <paramref name="result"/> to <paramref name="error"/> and returns
    /// <see cref="UsageError"/>; null when there are none. Help and version requests are not errors.
    /// </summary>
    public static int? Refuse(ParseResult result, TextWriter error)
    {
        var problems = result.Action is ParseErrorAction ? result.Errors.Select(e => e.Message).ToList() : [];
        var settings = Settings(result);
        for (var i = 0; i < settings.Length; i++)
        {
            var valueOfSetting = i > 0 && settings[i - 1].StartsWith('-') && !settings[i - 1].Contains('=');
            if (!settings[i].StartsWith('-') && !valueOfSetting) problems.Add($"unrecognized command or argument '{settings[i]}'");
        }
        if (problems.Count == 0) return null;
        foreach (var problem in problems) error.WriteLine(problem);
        error.WriteLine("Run with --help for usage.");
        return UsageError;
    }

    /// <summary>
    /// Runs what <paramref name="result"/> asks for (help, version, or a command's action), writing to
    /// <paramref name="output"/> and <paramref name="error"/>. SIGTERM and Ctrl+C are left to the host
    /// that the action runs (its graceful stop takes longer than the library would wait).
    /// </summary>
    public static Task<int> InvokeAsync(ParseResult result, TextWriter output, TextWriter error, CancellationToken cancellationToken = default) =>
        result.InvokeAsync(new InvocationConfiguration { Output = output, Error = error, ProcessTerminationTimeout = null }, cancellationToken);

    private static void Unmatched(Command command)
    {
        command.TreatUnmatchedTokensAsErrors = false;
        foreach (var sub in command.Subcommands) Unmatched(sub);
    }

    private static HashSet<string> OptionNames(Command command)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        void Collect(Command c)
        {
            foreach (var option in c.Options)
            {
                names.Add(option.Name);
                names.UnionWith(option.Aliases);
            }
            foreach (var sub in c.Subcommands) Collect(sub);
        }
        Collect(command);
        return names;
    }
}
