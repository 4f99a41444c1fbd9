namespace CliProxy.Gateway.Logging;

/// <summary>
/// The <see cref="ILoggerProvider"/> that writes the application log into <see cref="MainLogFile"/>
/// (spec §2.2) in the reference's line format (<see cref="LogLine"/>), with the id of the request an
/// entry belongs to (<see cref="RequestIdScope"/>). The console keeps receiving the log as before (a
/// container's log collector reads it); the file comes on top while <c>logging-to-file</c> is on, from the
/// next entry after the setting changed.
/// </summary>
/// <remarks>
/// An own provider rather than a Serilog or NLog file sink: the spec's files are an active
/// <c>main.log</c> renamed to <c>main-&lt;UTC time&gt;.log</c> on rotation, and <c>DELETE /logs</c>
/// truncates that active file; the well-kept sinks roll to new file names instead of renaming the
/// active one, and truncating under them leaves their size counters wrong (defect 13). The writer is
/// one small class; the line format, masking and rotation names are the spec's in any case.
/// </remarks>
public sealed class FileLoggerProvider(MainLogFile file, LogSettingsSource settings, TimeProvider time) : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new FileLogger(this, categoryName);

    /// <inheritdoc />
    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    /// <inheritdoc />
    public void Dispose()
    {
        // The file belongs to the service container, which disposes it.
    }

    private string? CurrentRequestId()
    {
        string? id = null;
        _scopes.ForEachScope((scope, _) =>
        {
            if (scope is RequestIdScope r) id = r.RequestId;
        }, (object?)null);
        return id;
    }

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && provider.Enabled;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            var line = LogLine.Format(provider.Now, provider.CurrentRequestId(), logLevel, category, formatter(state, exception), exception);
            provider.Write(line);
        }
    }

    /// <summary>
    /// Whether entries go to the file: <c>logging-to-file</c> as this node's config copy says now, so a
    /// change made through this node holds from its very next entry (no wait for <see cref="LogMaintenance"/>).
    /// </summary>
    private bool Enabled
    {
        get
        {
            file.SetEnabled(settings.Current.LoggingToFile);
            return file.Enabled;
        }
    }

    private DateTimeOffset Now => time.GetLocalNow();

    private void Write(string line) => file.Append(line);
}
