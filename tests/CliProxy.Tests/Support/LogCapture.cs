using System.Text;
using Microsoft.Extensions.Logging;

namespace CliProxy.Tests.Support;

/// <summary>A logger provider that keeps every line (level, category, message, exception) in memory.</summary>
public sealed class LogCapture : ILoggerProvider
{
    private readonly StringBuilder _text = new();

    /// <summary>Everything logged so far.</summary>
    public string Text
    {
        get
        {
            lock (_text) return _text.ToString();
        }
    }

    /// <summary>Length of <see cref="Text"/> (a mark to search from).</summary>
    public int Length
    {
        get
        {
            lock (_text) return _text.Length;
        }
    }

    /// <inheritdoc />
    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    /// <inheritdoc />
    public void Dispose()
    {
    }

    private void Append(string line)
    {
        lock (_text) _text.AppendLine(line);
    }

    private sealed class Logger(LogCapture sink, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            sink.Append($"{logLevel}: {category}: {formatter(state, exception)}{(exception is null ? "" : "\n" + exception)}");
    }
}
