using System.Collections.Frozen;
using Microsoft.Extensions.Logging.Console;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// The console (stdout) log, which keeps only warnings and errors while <c>logging-to-file</c> is on (spec §2.2:
/// the application log goes to stdout when it is off, to <c>main.log</c> when it is on — writing every entry to
/// both cost the proxy a console line per request; failures stay visible in a container's log). The start-up and
/// shutdown lines (<see cref="AlwaysShown"/>: where the gateway listens) are always shown. Wraps the host's <see cref="ConsoleLoggerProvider"/> (its options and the
/// <c>Logging:Console</c> rules still apply: same alias); until <see cref="Follow"/> is called (the host is built
/// and the settings can be read) everything goes to the console, so start-up problems are seen.
/// </summary>
[ProviderAlias("Console")]
public sealed class StdoutLoggerProvider(ConsoleLoggerProvider console) : ILoggerProvider, ISupportExternalScope
{
    private volatile LogSettingsSource? _settings;

    /// <summary>Categories whose every entry reaches stdout: the gateway's start-up lines and the host's lifetime.</summary>
    public static readonly FrozenSet<string> AlwaysShown = FrozenSet.Create(StringComparer.Ordinal, "CliProxy.Gateway", "Microsoft.Hosting.Lifetime");

    /// <summary>From now on, writes entries below warning only while <paramref name="settings"/> say <c>logging-to-file</c> is off.</summary>
    public void Follow(LogSettingsSource settings) => _settings = settings;

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) =>
        AlwaysShown.Contains(categoryName) ? console.CreateLogger(categoryName) : new StdoutLogger(this, console.CreateLogger(categoryName));

    /// <inheritdoc />
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => console.SetScopeProvider(scopeProvider);

    /// <inheritdoc />
    public void Dispose() => console.Dispose();

    /// <summary>Moves the host's console provider behind this one in <paramref name="services"/> (no-op when the host has none, e.g. tests that capture logs).</summary>
    public static void Replace(IServiceCollection services)
    {
        var registered = services.FirstOrDefault(d => d.ServiceType == typeof(ILoggerProvider) && d.ImplementationType == typeof(ConsoleLoggerProvider));
        if (registered is null) return;
        services.Remove(registered);
        services.AddSingleton<ConsoleLoggerProvider>();
        services.AddSingleton<StdoutLoggerProvider>();
        services.AddSingleton<ILoggerProvider>(sp => sp.GetRequiredService<StdoutLoggerProvider>());
    }

    private bool Writes(LogLevel level) => level >= LogLevel.Warning || _settings is not { } settings || !settings.Current.LoggingToFile;

    private sealed class StdoutLogger(StdoutLoggerProvider provider, ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => provider.Writes(logLevel) && inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (provider.Writes(logLevel)) inner.Log(logLevel, eventId, state, exception, formatter);
        }
    }
}
