using System.Runtime.CompilerServices;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// The <see cref="ILoggerProvider"/> that writes the application log into <see cref="MainLogFile"/>
/// (spec §2.2) in the reference's line format (<see cref="LogLine"/>), with the id of the request an
/// entry belongs to (<see cref="Logging.CurrentRequestId"/>). The console keeps receiving the log as before (a
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
public sealed class FileLoggerProvider(MainLogFile file, LogSettingsSource settings, CurrentRequestId current, TimeProvider time) : ILoggerProvider, ISupportExternalScope
{
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();
    private volatile StampOfSecond _stamp = new(-1, TimeSpan.Zero, []);

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
        if (current.Value is { } inSlot) return inSlot;
        var id = new StrongBox<string?>();
        _scopes.ForEachScope(static (scope, id) =>
        {
            if (scope is RequestIdScope r) id.Value = r.RequestId;
        }, id);
        return id.Value;
    }

    /// <summary>The time stamp column for now, made once per second.</summary>
    private byte[] Stamp()
    {
        var now = time.GetLocalNow();
        var second = now.Ticks / TimeSpan.TicksPerSecond;
        var stamp = _stamp;
        if (stamp.Second == second && stamp.Offset == now.Offset) return stamp.Bytes;
        stamp = new StampOfSecond(second, now.Offset, LogLine.Stamp(now));
        _stamp = stamp;
        return stamp.Bytes;
    }

    private void Write(byte[] entry) => file.Append(entry);

    private sealed record StampOfSecond(long Second, TimeSpan Offset, byte[] Bytes);

    private sealed class FileLogger(FileLoggerProvider provider, string category) : ILogger
    {
        private readonly string _column = LogLine.ShortCategory(category);

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => provider._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None && provider.Enabled;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel)) return;
            if (typeof(TState) == typeof(AccessLine.Entry) && exception is null)
            {
                // One per request: the line is written into a stack buffer and encoded from there.
                Span<char> line = stackalloc char[512];
                if (Unsafe.As<TState, AccessLine.Entry>(ref state).TryFormat(line, out var written))
                {
                    provider.Write(LogLine.Encode(provider.Stamp(), provider.CurrentRequestId(), logLevel, _column, line[..written], null));
                    return;
                }
            }
            provider.Write(LogLine.Encode(provider.Stamp(), provider.CurrentRequestId(), logLevel, _column, formatter(state, exception), exception));
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
}
