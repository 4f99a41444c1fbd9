using CliProxy.Domain.Proxy.Upstreams;
using CliProxy.Domain.Usage;

namespace CliProxy.Domain.Proxy.Usage;

/// <summary>
/// The common reader behind every protocol's usage scanner (spec usage §1.4). The first byte that is not
/// white space decides the shape: <c>{</c> or <c>[</c> is one JSON document (a non-streamed body), anything else
/// is a server-sent-event stream whose <c>data:</c> payloads are JSON documents, one per event. Bytes go through a
/// <see cref="JsonFieldScanner"/> as they arrive: chunks may split lines, CRLF or LF anywhere, and no line, event
/// or body is ever held. For streams the first event whose usage a protocol accepts wins (spec §1.2: first
/// publish wins); later events are skipped.
/// </summary>
public abstract class UsageScanner : IUsageScanner
{
    private readonly JsonFieldScanner _json;
    private FieldName _field;
    private Mode _mode;
    private LineState _line = LineState.Start;
    private int _fieldLen;
    private bool _lastWasCr;
    private bool _eventHasData;
    private UsageTokens? _streamTokens;
    private UsageTokens? _zeroFallback;

    private enum Mode { Unknown, Json, Sse }

    private enum LineState { Start, Field, Data, Skip }

    /// <summary>A scanner recording the values at <paramref name="paths"/> (see <see cref="Read"/>; one set per scanner kind).</summary>
    private protected UsageScanner(JsonFieldPaths paths) => _json = new JsonFieldScanner(paths);

    /// <summary>
    /// The usage of one JSON document, or null when it carries none this protocol accepts.
    /// <paramref name="inStream"/>: the document is one event of a stream.
    /// </summary>
    private protected abstract UsageTokens? Read(JsonFieldScanner json, bool inStream);

    /// <inheritdoc />
    public UsageTokens? Tokens
    {
        get
        {
            if (_mode == Mode.Json)
            {
                _json.End();
                return Read(_json, inStream: false);
            }
            if (_streamTokens is null && _eventHasData && _json.Complete && Accepted(Read(_json, inStream: true)) is { } last)
                return last; // a last event without its blank line; read without consuming, more bytes may follow
            return _streamTokens ?? _zeroFallback;
        }
    }

    /// <inheritdoc />
    public void Feed(ReadOnlySpan<byte> chunk)
    {
        if (_mode == Mode.Unknown)
        {
            var i = 0;
            while (i < chunk.Length && chunk[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or 0xEF or 0xBB or 0xBF) i++;
            if (i == chunk.Length) return;
            _mode = chunk[i] is (byte)'{' or (byte)'[' ? Mode.Json : Mode.Sse;
            chunk = chunk[i..];
        }
        if (_mode == Mode.Json) _json.Feed(chunk);
        else if (_streamTokens is null) FeedSse(chunk);
    }

    private void FeedSse(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty && _streamTokens is null)
        {
            if (_line == LineState.Data)
            {
                // Hand the payload up to the end of the line to the JSON scanner in one slice.
                var end = chunk.IndexOfAny((byte)'\r', (byte)'\n');
                if (end < 0) { _json.Feed(chunk); return; }
                _json.Feed(chunk[..end]);
                chunk = chunk[end..];
            }
            var b = chunk[0];
            chunk = chunk[1..];
            if (b == '\n' && _lastWasCr) { _lastWasCr = false; continue; }
            _lastWasCr = b == '\r';
            if (b is (byte)'\r' or (byte)'\n') { EndLine(); continue; }
            switch (_line)
            {
                case LineState.Start:
                    _fieldLen = 0;
                    _line = b == ':' ? LineState.Skip : LineState.Field;
                    if (_line == LineState.Field) _field[_fieldLen++] = b;
                    break;
                case LineState.Field:
                    if (b == ':') StartValue();
                    else if (_fieldLen < FieldName.Length) _field[_fieldLen++] = b;
                    else _line = LineState.Skip;
                    break;
            }
        }
    }

    private void StartValue()
    {
        if (!((ReadOnlySpan<byte>)_field)[.._fieldLen].SequenceEqual("data"u8)) { _line = LineState.Skip; return; }
        // Several data lines of one event form one payload joined by a newline (the SSE rule).
        if (_eventHasData) _json.Feed("\n"u8);
        _eventHasData = true;
        _line = LineState.Data;
    }

    private void EndLine()
    {
        var wasEmpty = _line == LineState.Start;
        if (_line == LineState.Field && _fieldLen == 4 && ((ReadOnlySpan<byte>)_field)[..4].SequenceEqual("data"u8))
        {
            // "data" with no colon: an empty payload line.
            if (_eventHasData) _json.Feed("\n"u8);
            _eventHasData = true;
        }
        _line = LineState.Start;
        if (wasEmpty && _eventHasData) EndEvent();
    }

    /// <summary>The tokens when any count is non-zero (an all-zero usage does not end the search, spec §1.2).</summary>
    private static UsageTokens? Accepted(UsageTokens? tokens) =>
        tokens is { } t && (t.Input != 0 || t.Output != 0 || t.Reasoning != 0 || t.Cached != 0 || t.Total != 0) ? t : null;

    private void EndEvent()
    {
        _json.End();
        var tokens = Read(_json, inStream: true);
        _streamTokens = Accepted(tokens);
        if (tokens is not null) _zeroFallback ??= tokens;
        _json.Reset();
        _eventHasData = false;
    }

    // The SSE field name read so far (only "data" matters; longer names are skipped).
    [System.Runtime.CompilerServices.InlineArray(Length)]
    private struct FieldName
    {
        public const int Length = 8;
        private byte _0;
    }
}
