using System.Buffers;
using System.Text.Json;

namespace CliProxy.Domain.Proxy.Usage;

/// <summary>
/// Turns a Responses event stream into the non-streamed answer a client asked for (the reference's Codex
/// executor does the same, since the ChatGPT backend only streams): fed the stream's bytes, it keeps the
/// <c>response</c> object of the terminal event (<c>response.completed</c>, else <c>response.incomplete</c> or
/// <c>response.failed</c>). Only the current event's data is held, up to <see cref="MaxEvent"/> bytes (a larger
/// event is skipped); chunks may split lines anywhere, CRLF or LF.
/// </summary>
public sealed class ResponsesCompletedCollector
{
    /// <summary>The largest event kept (the final response repeats the whole output).</summary>
    public const int MaxEvent = 32 * 1024 * 1024;

    private readonly ArrayBufferWriter<byte> _line = new(4096);
    private readonly ArrayBufferWriter<byte> _data = new(4096);
    private bool _lastWasCr;
    private bool _overflow;

    /// <summary>The <c>response</c> object of the terminal event (UTF-8 JSON), or null when none arrived (yet).</summary>
    public ReadOnlyMemory<byte>? Response { get; private set; }

    /// <summary>The terminal event's type (<c>response.completed</c>, <c>response.incomplete</c>, <c>response.failed</c>), or null.</summary>
    public string? TerminalType { get; private set; }

    /// <summary>Feeds the next bytes of the stream.</summary>
    public void Feed(ReadOnlySpan<byte> chunk)
    {
        while (!chunk.IsEmpty)
        {
            var end = chunk.IndexOfAny((byte)'\r', (byte)'\n');
            if (end < 0) { Append(chunk); return; }
            if (end > 0) Append(chunk[..end]);
            var b = chunk[end];
            chunk = chunk[(end + 1)..];
            if (b == '\n' && _lastWasCr && end == 0) { _lastWasCr = false; continue; }
            _lastWasCr = b == '\r';
            EndLine();
        }
    }

    /// <summary>Ends the stream: a last event without its blank line is read too.</summary>
    public void Complete()
    {
        if (_line.WrittenCount > 0) EndLine();
        EndEvent();
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        _lastWasCr = false;
        if (_overflow || _line.WrittenCount + _data.WrittenCount + bytes.Length > MaxEvent) { _overflow = true; return; }
        _line.Write(bytes);
    }

    private void EndLine()
    {
        var line = _line.WrittenSpan;
        if (line.IsEmpty) { EndEvent(); return; }
        if (line.StartsWith("data:"u8) && !_overflow)
        {
            var payload = line[5..];
            if (!payload.IsEmpty && payload[0] == ' ') payload = payload[1..];
            if (_data.WrittenCount > 0) _data.Write("\n"u8);
            _data.Write(payload);
        }
        _line.ResetWrittenCount();
    }

    private void EndEvent()
    {
        if (!_overflow && _data.WrittenCount > 0 && TerminalType != "response.completed") Read(_data.WrittenSpan);
        _data.ResetWrittenCount();
        _line.ResetWrittenCount();
        _overflow = false;
    }

    private void Read(ReadOnlySpan<byte> json)
    {
        if (json.IndexOf("\"response."u8) < 0) return;
        try
        {
            var reader = new Utf8JsonReader(json);
            using var doc = JsonDocument.ParseValue(ref reader);
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("type", out var type)
                || type.GetString() is not ("response.completed" or "response.incomplete" or "response.failed") ||
                !doc.RootElement.TryGetProperty("response", out var response)) return;
            TerminalType = type.GetString();
            Response = JsonSerializer.SerializeToUtf8Bytes(response);
        }
        catch (JsonException)
        {
            // Not JSON: not the terminal event.
        }
    }
}
