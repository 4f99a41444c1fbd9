using System.Runtime.CompilerServices;
using System.Text;

namespace CliProxy.Domain.Proxy.Usage;

/// <summary>
/// The dot-paths a <see cref="JsonFieldScanner"/> records (<c>usage.prompt_tokens</c>; <c>*</c> stands for any array
/// element), as UTF-8, made once per scanner kind and shared by every scanner of that kind (a scanner is made per
/// upstream answer). At most <see cref="JsonFieldScanner.MaxPaths"/> paths of at most <see cref="JsonFieldScanner.MaxPath"/> bytes.
/// </summary>
internal sealed class JsonFieldPaths
{
    /// <summary>The paths as UTF-8, in the order their values are numbered.</summary>
    public byte[][] Utf8 { get; }

    /// <summary>Prepares <paramref name="paths"/>.</summary>
    /// <exception cref="ArgumentException">More than <see cref="JsonFieldScanner.MaxPaths"/> paths, or a path longer than <see cref="JsonFieldScanner.MaxPath"/> bytes.</exception>
    public JsonFieldPaths(params string[] paths)
    {
        if (paths.Length > JsonFieldScanner.MaxPaths) throw new ArgumentException($"at most {JsonFieldScanner.MaxPaths} paths", nameof(paths));
        Utf8 = [.. paths.Select(p => Encoding.UTF8.GetBytes(p))];
        if (Utf8.Any(p => p.Length > JsonFieldScanner.MaxPath)) throw new ArgumentException($"a path is longer than {JsonFieldScanner.MaxPath} bytes", nameof(paths));
    }
}

/// <summary>
/// A push tokenizer for JSON that records the values found at a few dot-paths (<see cref="JsonFieldPaths"/>)
/// while the bytes pass, in constant memory: it keeps the current path (at most <see cref="MaxPath"/> bytes: a
/// longer one matches no wanted path), at most <see cref="MaxKey"/> bytes of a key and <see cref="MaxScalar"/> bytes
/// of a wanted scalar, never a whole body, line or string. All of it lives in the one object (fixed-size buffers, no
/// arrays): a scanner is made for every upstream answer. Lenient: it does not validate, it only follows the
/// structure, so a broken body yields no values rather than an exception. Not thread-safe; one instance per response.
/// </summary>
internal sealed class JsonFieldScanner
{
    /// <summary>Longest key kept; a longer key matches no path.</summary>
    public const int MaxKey = 64;

    /// <summary>Longest scalar kept for a wanted path (numbers, short strings such as an event type).</summary>
    public const int MaxScalar = 64;

    /// <summary>Longest path followed (bytes); values under a longer path are not wanted.</summary>
    public const int MaxPath = 64;

    /// <summary>Most paths one scanner records.</summary>
    public const int MaxPaths = 16;

    private const int MaxDepth = 64;

    private readonly byte[][] _paths;
    private Longs _numbers;
    private Texts _strings;
    private Flags _seen;
    private PathBytes _path;
    private FrameLengths _frameLen;
    private ulong _objectFrames; // bit d-1: the frame at depth d is an object (else an array)
    private ScalarBytes _scalar;
    private int _depth;
    private int _overflow; // levels opened beyond MaxDepth: counted only, nothing under them is wanted
    private int _keyLen;
    private bool _keyOverflow;
    private int _valuePath = -1;
    private int _scalarLen;
    private State _state = State.Value;
    private bool _expectKey;

    private enum State { Value, Key, String, StringEscape, KeyEscape, Literal }

    /// <summary>A scanner recording the values at <paramref name="paths"/>.</summary>
    public JsonFieldScanner(JsonFieldPaths paths) => _paths = paths.Utf8;

    /// <summary>Whether a value or container other than <c>null</c> was found at path number <paramref name="i"/>.</summary>
    public bool Seen(int i) => _seen[i];

    /// <summary>The integer at path <paramref name="i"/> (0 when absent or not a number; fractions truncated).</summary>
    public long Number(int i) => _numbers[i];

    /// <summary>The string at path <paramref name="i"/> (null when absent, not a string, or longer than <see cref="MaxScalar"/>).</summary>
    public string? Text(int i) => _strings[i];

    /// <summary>Whether any byte of a value was seen and the root value is complete (depth back to 0).</summary>
    public bool Complete { get; private set; }

    /// <summary>Forgets everything: the next byte starts a new document (one SSE event).</summary>
    public void Reset()
    {
        _numbers = default;
        _strings = default;
        _seen = default;
        _depth = 0;
        _overflow = 0;
        _keyLen = 0;
        _keyOverflow = false;
        _valuePath = -1;
        _scalarLen = 0;
        _state = State.Value;
        _expectKey = false;
        Complete = false;
    }

    /// <summary>Feeds the next bytes of the document.</summary>
    public void Feed(ReadOnlySpan<byte> bytes)
    {
        while (!bytes.IsEmpty)
        {
            if (_state == State.String && _valuePath < 0)
            {
                // Text nobody wants (the bulk of a stream): jump to the next quote or escape.
                var next = bytes.IndexOfAny((byte)'"', (byte)'\\');
                if (next < 0) return;
                bytes = bytes[next..];
            }
            Step(bytes[0]);
            bytes = bytes[1..];
        }
    }

    /// <summary>Ends a scalar that was waiting for a delimiter (a bare number as the last bytes of a document).</summary>
    public void End()
    {
        if (_state == State.Literal) EndLiteral();
    }

    private void Step(byte b)
    {
        switch (_state)
        {
            case State.String:
                if (b == '\\') _state = State.StringEscape;
                else if (b == '"') EndString();
                else AppendScalar(b);
                return;
            case State.StringEscape:
                AppendScalar(b);
                _state = State.String;
                return;
            case State.Key:
                if (b == '\\') _state = State.KeyEscape;
                else if (b == '"') { _state = State.Value; _expectKey = false; }
                else AppendKey(b);
                return;
            case State.KeyEscape:
                AppendKey(b);
                _state = State.Key;
                return;
            case State.Literal:
                if (b is (byte)',' or (byte)'}' or (byte)']' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    EndLiteral();
                    Structural(b);
                }
                else AppendScalar(b);
                return;
            default:
                Structural(b);
                return;
        }
    }

    private void Structural(byte b)
    {
        switch (b)
        {
            case (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)':':
                return;
            case (byte)',':
                _expectKey = _overflow == 0 && _depth > 0 && IsObject(_depth);
                return;
            case (byte)'{' or (byte)'[':
                var at = BeginValue();
                if (_depth >= MaxDepth)
                {
                    _overflow++;
                    _expectKey = false;
                    return;
                }
                _depth++;
                var bit = 1UL << (_depth - 1);
                _objectFrames = b == '{' ? _objectFrames | bit : _objectFrames & ~bit;
                _frameLen[_depth] = (sbyte)at;
                _expectKey = b == '{';
                _keyLen = 0;
                return;
            case (byte)'}' or (byte)']':
                if (_overflow > 0) _overflow--;
                else if (_depth > 0) _depth--;
                _expectKey = false;
                if (_depth == 0) Complete = true;
                return;
            case (byte)'"':
                if (_expectKey)
                {
                    _keyLen = 0;
                    _keyOverflow = false;
                    _state = State.Key;
                    return;
                }
                BeginValue();
                _scalarLen = 0;
                _state = State.String;
                return;
            default:
                BeginValue(seen: b != 'n'); // a null is no value: "usage":null carries no usage
                _scalarLen = 0;
                AppendScalar(b);
                _state = State.Literal;
                return;
        }
    }

    /// <summary>Computes the path of the value that starts now, marks it seen when wanted; returns the path's length (-1: unmatchable).</summary>
    private int BeginValue(bool seen = true)
    {
        var len = PathOfValue();
        _valuePath = -1;
        if (len >= 0)
        {
            ReadOnlySpan<byte> path = ((ReadOnlySpan<byte>)_path)[..len];
            for (var i = 0; i < _paths.Length; i++)
            {
                if (!path.SequenceEqual(_paths[i])) continue;
                _seen[i] |= seen;
                _valuePath = i;
                break;
            }
        }
        return len;
    }

    private bool IsObject(int depth) => (_objectFrames & (1UL << (depth - 1))) != 0;

    private int PathOfValue()
    {
        if (_overflow > 0) return -1;
        if (_depth == 0) return 0;
        var baseLen = _frameLen[_depth];
        if (baseLen < 0) return -1;
        var sep = baseLen > 0 ? 1 : 0;
        if (IsObject(_depth))
        {
            if (_keyOverflow || baseLen + sep + _keyLen > MaxPath) return -1;
            if (sep == 1) _path[baseLen] = (byte)'.';
            // The key was written at the frame's end when it was read (AppendKey), after the separator slot.
            return baseLen + sep + _keyLen;
        }
        if (baseLen + sep + 1 > MaxPath) return -1;
        if (sep == 1) _path[baseLen] = (byte)'.';
        _path[baseLen + sep] = (byte)'*';
        return baseLen + sep + 1;
    }

    private void AppendKey(byte b)
    {
        var baseLen = _depth > 0 ? _frameLen[_depth] : 0;
        if (baseLen < 0 || _overflow > 0 || _keyLen >= MaxKey) { _keyOverflow = true; return; }
        var at = baseLen + (baseLen > 0 ? 1 : 0) + _keyLen;
        if (at >= MaxPath) { _keyOverflow = true; return; }
        _path[at] = b;
        _keyLen++;
    }

    private void AppendScalar(byte b)
    {
        if (_valuePath < 0) return;
        if (_scalarLen >= MaxScalar) { _scalarLen = MaxScalar + 1; return; }
        _scalar[_scalarLen++] = b;
    }

    private void EndString()
    {
        _state = State.Value;
        if (_valuePath >= 0 && _scalarLen <= MaxScalar)
            _strings[_valuePath] = Encoding.UTF8.GetString(((ReadOnlySpan<byte>)_scalar)[.._scalarLen]);
        _valuePath = -1;
        if (_depth == 0) Complete = true;
    }

    private void EndLiteral()
    {
        _state = State.Value;
        if (_valuePath >= 0 && _scalarLen <= MaxScalar)
        {
            ReadOnlySpan<byte> text = ((ReadOnlySpan<byte>)_scalar)[.._scalarLen];
            if (System.Buffers.Text.Utf8Parser.TryParse(text, out long n, out var used) && used == text.Length) _numbers[_valuePath] = n;
            else if (System.Buffers.Text.Utf8Parser.TryParse(text, out double d, out used) && used == text.Length) _numbers[_valuePath] = (long)d;
        }
        _valuePath = -1;
        if (_depth == 0) Complete = true;
    }

    [InlineArray(MaxPaths)]
    private struct Longs { private long _0; }

    [InlineArray(MaxPaths)]
    private struct Texts { private string? _0; }

    [InlineArray(MaxPaths)]
    private struct Flags { private bool _0; }

    [InlineArray(MaxPath)]
    private struct PathBytes { private byte _0; }

    // Frame lengths fit a signed byte (a path is at most MaxPath bytes; -1: unmatchable).
    [InlineArray(MaxDepth + 1)]
    private struct FrameLengths { private sbyte _0; }

    [InlineArray(MaxScalar)]
    private struct ScalarBytes { private byte _0; }
}
