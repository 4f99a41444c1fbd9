using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace CliProxy.Tests.Cluster;

/// <summary>An <see cref="ILogger{T}"/> that keeps every formatted message, for asserting on provider logs.</summary>
internal sealed class CapturingLogger<T> : ILogger<T>
{
    private readonly ConcurrentQueue<string> _messages = new();

    /// <summary>The messages logged so far, in order.</summary>
    public IReadOnlyCollection<string> Messages => _messages.ToArray();

    /// <inheritdoc />
    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    /// <inheritdoc />
    public bool IsEnabled(LogLevel logLevel) => true;

    /// <inheritdoc />
    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter) => _messages.Enqueue(formatter(state, exception));
}
