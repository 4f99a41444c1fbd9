using Microsoft.AspNetCore.Connections;

namespace CliProxy.Gateway.Logging;

/// <summary>
/// The id of the request the running code serves (spec §2.3: the request id column of <c>main.log</c>), found
/// without changing the execution context per request where that is safe. A logging scope per request
/// (<see cref="RequestIdScope"/>) sets an <see cref="AsyncLocal{T}"/>: a new execution context that every later
/// continuation of the request restores — measured at about 4 % of the proxy's CPU per request. An HTTP/1.x
/// connection serves its requests one after another, so it gets one mutable slot when it opens
/// (<see cref="UseConnectionSlot"/>, a Kestrel connection middleware) and each request only writes its id into it.
/// Requests without such a slot (HTTP/2 and HTTP/3 streams, which share a connection and run at once; the
/// in-memory test server) keep the per-request scope.
/// </summary>
/// <remarks>
/// Work a request starts that outlives it (a timer, a task not awaited) and logs afterwards shows no id, or the id
/// of the connection's next request; with the scope it showed the request that started it.
/// </remarks>
public sealed class CurrentRequestId
{
    private readonly AsyncLocal<Slot?> _connection = new();

    /// <summary>The id of the request served here, when it runs in a connection's slot; otherwise null (look for a <see cref="RequestIdScope"/>).</summary>
    public string? Value => _connection.Value?.RequestId;

    /// <summary>Gives every connection of <paramref name="listen"/> a slot for the ids of its requests.</summary>
    public void UseConnectionSlot(IConnectionBuilder listen) => listen.Use(next => async connection =>
    {
        _connection.Value = new Slot(); // flows into the connection's request loop, and stays with this connection
        await next(connection);
    });

    /// <summary>
    /// Makes <paramref name="id"/> the current request id until the result is disposed: in the connection's slot for
    /// an HTTP/1.x request that has one, otherwise as a logging scope of <paramref name="logger"/>.
    /// </summary>
    public Entered Enter(HttpRequest request, string id, ILogger logger)
    {
        if (_connection.Value is { } slot && (HttpProtocol.IsHttp11(request.Protocol) || HttpProtocol.IsHttp10(request.Protocol)))
        {
            slot.RequestId = id;
            return new Entered(slot, null);
        }
        return new Entered(null, logger.BeginScope(new RequestIdScope(id)));
    }

    /// <summary>A request id made current by <see cref="Enter"/>; disposing it clears it.</summary>
    public readonly struct Entered : IDisposable
    {
        private readonly Slot? _slot;
        private readonly IDisposable? _scope;

        internal Entered(Slot? slot, IDisposable? scope)
        {
            _slot = slot;
            _scope = scope;
        }

        /// <inheritdoc />
        public void Dispose()
        {
            if (_slot is not null) _slot.RequestId = null;
            _scope?.Dispose();
        }
    }

    /// <summary>The request id of one HTTP/1.x connection, written by each of its requests in turn.</summary>
    internal sealed class Slot
    {
        public string? RequestId { get; set; }
    }
}
